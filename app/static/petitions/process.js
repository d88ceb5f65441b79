/* The processing form of the petition page (app/templates/petitions/process_form.html).
   The rule table is the server's (#process-allowed: for each classification, why each
   outcome does not fit); this script only shows it while the clerk chooses: the outcome
   that does not fit is explained under the picker, "not eligible" selects archiving, the
   reasons are those of the chosen outcome, and the competent agency is searched as you
   type. Without the script the form still works: the server checks everything. */
(function ($) {
    "use strict";
    var form = $("#process-form");
    if (!form.length) {
        return;
    }
    var allowed = JSON.parse(document.getElementById("process-allowed").textContent);
    var texts = JSON.parse(document.getElementById("process-texts").textContent);
    var outcome = $("#outcome");
    var reason = $("#reason_id");
    var target = $("#target_agency_id");
    var hint = $("#outcome-hint");
    var allReasons = reason.find("option[data-outcome]").clone();

    function checked(name) {
        return form.find("input[name=" + name + "]:checked").val();
    }

    function classification() {
        var eligible = checked("eligible");
        var competent = checked("competent");
        if (eligible === "0") {
            return "0-";
        }
        if (eligible === "1" && (competent === "0" || competent === "1")) {
            return "1-" + competent;
        }
        return null;
    }

    function showReasons(chosen) {
        var current = reason.val();
        reason.find("option[data-outcome]").remove();
        allReasons.each(function () {
            if (!chosen || this.getAttribute("data-outcome") === chosen) {
                reason.append($(this).clone());
            }
        });
        reason.val(reason.find("option[value='" + current + "']").length ? current : "");
    }

    function update() {
        var notEligible = checked("eligible") === "0";
        form.find("input[name=competent]").prop("disabled", notEligible);
        if (notEligible) {
            outcome.val("archived");
        }
        var key = classification();
        var chosen = outcome.val();
        var why = key && chosen ? allowed[key][chosen] : null;
        hint.text(why || "").toggleClass("text-danger", !!why);
        outcome.closest(".form-group").toggleClass("has-warning", !!why);
        showReasons(chosen);
        $("#process-target").toggle(!chosen || chosen === "forwarded" || chosen === "guided");
        $("#process-target-name").toggle(!chosen || chosen === "guided");
        $("#process-return-to").toggle(chosen === "returned");
    }

    target.select2({
        width: "100%",
        allowClear: true,
        placeholder: texts.none,
        minimumInputLength: 1,
        language: {
            inputTooShort: function () { return texts.typeToSearch; },
            noResults: function () { return texts.noResults; },
            searching: function () { return texts.searching; },
            errorLoading: function () { return texts.errorLoading; }
        },
        ajax: {
            url: form.data("targets-url"),
            dataType: "json",
            delay: 200,
            data: function (params) {
                return {q: params.term, purpose: outcome.val() === "guided" ? "guide" : "forward"};
            }
        }
    });
    form.on("change", "input[type=radio], #outcome", update);
    update();
}(jQuery));
