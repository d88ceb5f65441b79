/* Vietnamese touches on FAB's scripts (loaded by app/templates/donthu/baselayout.html
   after FAB's scripts, before the page is ready). The texts come translated from the
   server in <script id="donthu-ui-texts" type="application/json">. */
(function ($) {
    "use strict";
    var texts = JSON.parse(document.getElementById("donthu-ui-texts").textContent);

    // select2: FAB passes English placeholders ("Select a State", "Select").
    var fabPlaceholders = ["Select a State", "Select"];
    var select2 = $.fn.select2;
    $.fn.select2 = function (options) {
        var args = Array.prototype.slice.call(arguments);
        if (options && fabPlaceholders.indexOf(options.placeholder) >= 0) {
            args[0] = $.extend({}, options, {placeholder: texts.select});
        }
        return select2.apply(this, args);
    };
    $.extend($.fn.select2, select2);
    $.fn.select2.defaults.set("language", {
        noResults: function () { return texts.noResults; },
        searching: function () { return texts.searching; },
        removeAllItems: function () { return texts.removeAllItems; },
        errorLoading: function () { return texts.errorLoading; },
        loadingMore: function () { return texts.loadingMore; }
    });

    // FAB's alerts (ab_actions.js) pass English text to ab_alert.
    var fabAlert = window.ab_alert;
    window.ab_alert = function (text) {
        fabAlert(texts.alerts[text] || text);
    };

    // Date-time inputs (app.ui.widgets): the picker sets the date and keeps the time.
    var timePattern = /\d{1,2}[:hg]\d{2}(:\d{2})?/;
    $(document).on("show", ".vn-datetime", function () {
        var match = $(this).find("input").val().match(timePattern);
        $(this).data("vnTime", match ? match[0] : "00:00");
    });
    $(document).on("changeDate", ".vn-datetime", function (event) {
        var time = $(this).data("vnTime") || "00:00";
        $(this).find("input").val(event.format(0, "dd/mm/yyyy") + " " + time);
    });
}(jQuery));
