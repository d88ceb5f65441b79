/* Every select2 picker on every page, FAB's own included (the user form's roles and
   agency): select2 4.0 with jQuery 3.6 does not put the keyboard in the search field when
   a picker opens, so what is typed goes nowhere. Focus it. Loaded by
   app/templates/donthu/baselayout.html. */
(function ($) {
    "use strict";
    $(document).on("select2:open", function () {
        var field = document.querySelector(".select2-container--open .select2-search__field");
        if (field) {
            field.focus();
        }
    });
}(jQuery));
