/* Task screens: keyboard-first behaviour of the forms (app/templates/tasks; the
   search-as-you-type pickers are app/static/js/combobox.js's):
   - receiving agencies: "add a row" clones the row template, each row can be removed,
     rows are renumbered on screen; the deadline placeholder follows the document's;
   - Ctrl+Enter submits the form being typed in;
   - focus goes to the first field in error, else to the field marked autofocus.
   Without the script the forms still work: the server checks everything. */
(function () {
    "use strict";

    document.addEventListener("keydown", function (event) {
        var input = event.target;
        if (event.defaultPrevented) {
            return;  // a picker took the key (app/static/js/combobox.js)
        }
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && input.form) {
            event.preventDefault();
            input.form.requestSubmit();
        }
    }, true);

    // ---- receiving agencies ------------------------------------------------------------
    function renumber(body) {
        Array.prototype.forEach.call(body.querySelectorAll(".task-receiver-number"), function (cell, i) {
            cell.textContent = String(i + 1);
        });
    }

    function followDefaultDeadline() {
        var field = document.getElementById("default_deadline");
        if (!field) {
            return;
        }
        document.querySelectorAll(".task-receiver-deadline").forEach(function (input) {
            input.placeholder = field.value || input.dataset.placeholder;
        });
    }

    var add = document.getElementById("add-receiver");
    if (add) {
        var body = document.getElementById("receivers-body");
        var template = document.getElementById("receiver-row-template");
        var next = document.getElementById("next_row");
        add.addEventListener("click", function () {
            var index = next.value;
            var html = template.innerHTML.replace(/__index__/g, index);
            body.insertAdjacentHTML("beforeend", html);
            next.value = String(parseInt(index, 10) + 1);
            renumber(body);
            followDefaultDeadline();
            var rows = body.querySelectorAll("tr");
            rows[rows.length - 1].querySelector(".dt-combo-input").focus();
        });
        body.addEventListener("click", function (event) {
            var button = event.target.closest("[data-remove-row]");
            if (!button) {
                return;
            }
            var row = button.closest("tr");
            if (body.querySelectorAll("tr").length > 1) {
                row.remove();
            } else {
                row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
            }
            renumber(body);
            add.focus();
        });
        var deadline = document.getElementById("default_deadline");
        if (deadline) {
            deadline.addEventListener("input", followDefaultDeadline);
        }
        followDefaultDeadline();
    }

    // ---- focus ----------------------------------------------------------------------
    var firstError = document.querySelector(".task-form .has-error input:not([type=hidden]), " +
        ".task-form .has-error select, .task-form .has-error textarea, " +
        ".task-actions .has-error textarea, .task-actions .has-error input:not([type=hidden])");
    var first = firstError || document.querySelector("[data-autofocus]");
    if (first) {
        first.focus();
    }
}());
