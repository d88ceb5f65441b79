/* Petition screens: keyboard-first behaviour of the intake lookup, the petition form and
   the lists (the search-as-you-type pickers are app/static/js/combobox.js's):
   - Enter in a lookup field searches at once instead of submitting;
   - Ctrl+Enter saves the petition form;
   - parts shown only when they apply (data-shown-when="field=value");
   - anonymous petitions disable the signatory rows; rows can be removed;
   - the summary's character counter; the multi-signatory badge;
   - list filters: a page-size choice applies at once;
   - focus on the first field in error, else on the first field to fill. */
(function () {
    "use strict";

    document.addEventListener("keydown", function (event) {
        var input = event.target;
        if (event.defaultPrevented) {
            return;  // a picker took the key (app/static/js/combobox.js)
        }
        if (event.key === "Enter" && input.hasAttribute && input.hasAttribute("data-lookup-field")
                && input.tagName !== "TEXTAREA") {
            event.preventDefault();
            if (window.htmx) {
                window.htmx.trigger("#lookup-fields", "lookup-now");
            }
        }
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            var form = input.closest && input.closest("#intake-form");
            if (form) {
                event.preventDefault();
                form.requestSubmit();
            }
        }
    }, true);

    // ---- parts shown only when they apply ---------------------------------------------
    function fieldValue(form, name) {
        var checked = form.querySelector("[name='" + name + "']:checked");
        if (checked) {
            return checked.value;
        }
        var field = form.querySelector("select[name='" + name + "']");
        return field ? field.value : "";
    }

    function refreshShown(form) {
        form.querySelectorAll("[data-shown-when]").forEach(function (part) {
            var rule = part.dataset.shownWhen.split("=");
            part.hidden = fieldValue(form, rule[0]) !== rule[1];
        });
    }

    function refreshAnonymous(form) {
        var box = form.querySelector("#anonymous");
        if (!box) {
            return;
        }
        var body = form.querySelector("#signatories-body");
        body.hidden = box.checked;
        body.querySelectorAll("input, select, button, textarea").forEach(function (field) {
            if (field.id !== "next_row") {
                field.disabled = box.checked;
            }
        });
    }

    function refreshMultiSignatory(form) {
        var count = form.querySelector("#signatory_count");
        var badge = form.querySelector("#multi-signatory");
        if (!count || !badge) {
            return;
        }
        var rows = form.querySelectorAll(".intake-signatory").length;
        var typed = parseInt(count.value, 10) || 0;
        badge.hidden = Math.max(rows, typed) < parseInt(count.dataset.multiMin, 10);
    }

    function refreshCounter(textarea) {
        var counter = document.getElementById(textarea.dataset.counter);
        if (counter) {
            counter.textContent = counter.dataset.template
                .replace("{used}", textarea.value.length);
        }
    }

    function refreshAll(form) {
        refreshShown(form);
        refreshAnonymous(form);
        refreshMultiSignatory(form);
        form.querySelectorAll("[data-counter]").forEach(refreshCounter);
    }

    document.addEventListener("change", function (event) {
        if (event.target.hasAttribute && event.target.hasAttribute("data-submit-on-change")) {
            event.target.form.requestSubmit();
            return;
        }
        var form = event.target.closest && event.target.closest("#intake-form");
        if (form) {
            refreshAll(form);
        }
    });

    document.addEventListener("input", function (event) {
        if (event.target.dataset && event.target.dataset.counter) {
            refreshCounter(event.target);
        }
        var form = event.target.closest && event.target.closest("#intake-form");
        if (form && event.target.id === "signatory_count") {
            refreshMultiSignatory(form);
        }
    });

    document.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest("[data-remove-row]");
        if (!button) {
            return;
        }
        var row = button.closest(".intake-signatory");
        var form = button.closest("form");
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        if (next) {
            next.querySelector("input[type=text]").focus();
        } else {
            document.getElementById("add-signatory").focus();
        }
        refreshAll(form);
    });

    document.addEventListener("htmx:afterSwap", function (event) {
        var form = event.target.closest && event.target.closest("#intake-form");
        if (form) {
            refreshAll(form);
        }
    });

    // ---- first focus -------------------------------------------------------------------
    function firstToFill(form) {
        var checks = [
            function () {
                var radio = form.querySelector("[name=repeat_kind]");
                return radio && !form.querySelector("[name=repeat_kind]:checked") ? radio : null;
            },
            function () {
                var name = form.querySelector("input[name$='-full_name']:not([disabled])");
                return name && !name.value ? name : null;
            },
            function () {
                return form.querySelector("[name=kind]:checked") ? null : form.querySelector("[name=kind]");
            },
            function () {
                var summary = form.querySelector("#summary");
                return summary && !summary.value ? summary : null;
            }
        ];
        for (var i = 0; i < checks.length; i++) {
            var found = checks[i]();
            if (found) {
                return found;
            }
        }
        return null;
    }

    function firstFocus() {
        var form = document.getElementById("intake-form");
        if (form) {
            refreshAll(form);
        }
        var target = document.querySelector(".has-error input:not([type=hidden]), "
            + ".has-error select, .has-error textarea")
            || (form && firstToFill(form)) || document.querySelector("[autofocus]");
        if (target) {
            target.focus();
            if (target.select && target.type === "text") {
                target.select();
            }
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", firstFocus);
    } else {
        firstFocus();
    }
}());
