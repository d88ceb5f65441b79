/* Task screens: keyboard-first behaviour of the forms (app/templates/tasks).
   - search-as-you-type pickers (.task-combo): typing searches, ↑ ↓ move, Enter or Tab
     picks, Esc closes; extra query parameters come from other fields (data-params);
   - receiving agencies: "add a row" clones the row template, each row can be removed,
     rows are renumbered on screen; the deadline placeholder follows the document's;
   - Ctrl+Enter submits the form being typed in;
   - focus goes to the first field in error, else to the field marked autofocus.
   Without the script the forms still work: the server checks everything. */
(function () {
    "use strict";

    var DEBOUNCE_MS = 200;

    // ---- search-as-you-type pickers -------------------------------------------------
    function parts(input) {
        var box = input.closest(".task-combo");
        return {
            box: box,
            input: input,
            value: box.querySelector(".task-combo-value"),
            list: box.querySelector(".task-combo-list")
        };
    }

    function close(p) {
        p.list.hidden = true;
        p.list.style.display = "";
        p.list.innerHTML = "";
        p.input.setAttribute("aria-expanded", "false");
        p.input.removeAttribute("aria-activedescendant");
    }

    function options(p) {
        return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
    }

    function activate(p, index) {
        options(p).forEach(function (option, i) {
            option.classList.toggle("active", i === index);
            option.setAttribute("aria-selected", i === index ? "true" : "false");
            if (i === index) {
                p.input.setAttribute("aria-activedescendant", option.id);
            }
        });
    }

    function activeIndex(p) {
        return options(p).findIndex(function (option) { return option.classList.contains("active"); });
    }

    function pick(p, option) {
        p.input.value = option.dataset.label;
        p.value.value = option.dataset.id;
        close(p);
        p.box.classList.remove("has-error");
    }

    function render(p, choices) {
        p.list.innerHTML = "";
        choices.forEach(function (choice, index) {
            var item = document.createElement("li");
            item.setAttribute("role", "option");
            item.id = p.list.id + "-" + index;
            item.dataset.id = choice.id;
            item.dataset.label = choice.label;
            var link = document.createElement("a");
            link.textContent = choice.label;
            if (choice.hint) {
                var hint = document.createElement("small");
                hint.className = "text-muted";
                hint.textContent = " " + choice.hint;
                link.appendChild(hint);
            }
            item.appendChild(link);
            item.addEventListener("mousedown", function (event) {
                event.preventDefault();
                pick(p, item);
            });
            p.list.appendChild(item);
        });
        var open = choices.length > 0;
        p.list.hidden = !open;
        p.list.style.display = open ? "block" : "";
        p.input.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) {
            activate(p, 0);
        }
    }

    function search(p) {
        var text = p.input.value.trim();
        if (!text) {
            close(p);
            return;
        }
        var query = new URLSearchParams({q: text});
        (p.box.dataset.params || "").split(",").filter(Boolean).forEach(function (pair) {
            var name = pair.split("=")[0];
            var field = document.querySelector(pair.split("=")[1]);
            query.set(name, field ? field.value : "");
        });
        fetch(p.box.dataset.source + "?" + query.toString(),
              {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (choices) {
                if (p.input.value.trim() === text && document.activeElement === p.input) {
                    render(p, choices);
                }
            });
    }

    document.addEventListener("input", function (event) {
        var input = event.target;
        if (!input.classList || !input.classList.contains("task-combo-input")) {
            return;
        }
        var p = parts(input);
        p.value.value = "";
        clearTimeout(input._taskTimer);
        input._taskTimer = setTimeout(function () { search(p); }, DEBOUNCE_MS);
    });

    document.addEventListener("keydown", function (event) {
        var input = event.target;
        if (input.classList && input.classList.contains("task-combo-input")) {
            var p = parts(input);
            var count = options(p).length;
            var open = !p.list.hidden && count > 0;
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                if (!open) {
                    search(p);
                    return;
                }
                activate(p, (activeIndex(p) + (event.key === "ArrowDown" ? 1 : -1) + count) % count);
                return;
            }
            if (event.key === "Enter" && open) {
                event.preventDefault();
                pick(p, options(p)[Math.max(activeIndex(p), 0)]);
                return;
            }
            if (event.key === "Escape" && open) {
                event.preventDefault();
                close(p);
                return;
            }
            if (event.key === "Tab" && open && !p.value.value) {
                pick(p, options(p)[Math.max(activeIndex(p), 0)]);
            }
        }
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && input.form) {
            event.preventDefault();
            input.form.requestSubmit();
        }
    }, true);

    document.addEventListener("focusout", function (event) {
        var input = event.target;
        if (input.classList && input.classList.contains("task-combo-input")) {
            setTimeout(function () { close(parts(input)); }, 150);
        }
    });

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
            rows[rows.length - 1].querySelector(".task-combo-input").focus();
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
