/* Search-as-you-type pickers of the purpose-built screens (petitions, reception, tasks),
   markup from app/templates/ui/combobox.html:
     <div class="dt-combo" data-source="URL" data-params="name=#field,…">
       <input class="dt-combo-input" role="combobox"> the words typed (and the label picked)
       <input type="hidden" class="dt-combo-value">  the id picked
       <ul class="dt-combo-list" role="listbox">     the choices, fetched as JSON
   Typing searches (debounced; ?q=words plus each data-params field's value); ↑ ↓ move,
   Enter or Tab picks, Esc closes; a click picks. Changing the words forgets the id
   picked. The value field sends "change" when it changes, for the page's own scripts.
   Loaded on every page (app/templates/donthu/baselayout.html) before the page's scripts,
   which skip a key this picker has already handled (event.defaultPrevented). */
(function () {
    "use strict";

    var DEBOUNCE_MS = 200;

    function partsOf(input) {
        var box = input.closest(".dt-combo");
        return {
            box: box,
            input: input,
            value: box.querySelector(".dt-combo-value"),
            list: box.querySelector(".dt-combo-list")
        };
    }

    function isPicker(element) {
        return Boolean(element.classList && element.classList.contains("dt-combo-input"));
    }

    function options(parts) {
        return Array.prototype.slice.call(parts.list.querySelectorAll("[role=option]"));
    }

    function close(parts) {
        parts.list.hidden = true;
        parts.list.style.display = "";
        parts.list.innerHTML = "";
        parts.input.setAttribute("aria-expanded", "false");
        parts.input.removeAttribute("aria-activedescendant");
    }

    function setValue(parts, id) {
        if (parts.value.value !== id) {
            parts.value.value = id;
            parts.value.dispatchEvent(new Event("change", {bubbles: true}));
        }
    }

    function pick(parts, option) {
        parts.input.value = option.dataset.label;
        setValue(parts, option.dataset.id);
        close(parts);
        parts.box.classList.remove("has-error");
    }

    function activate(parts, index) {
        options(parts).forEach(function (option, i) {
            option.classList.toggle("active", i === index);
            option.setAttribute("aria-selected", i === index ? "true" : "false");
            if (i === index) {
                parts.input.setAttribute("aria-activedescendant", option.id);
            }
        });
    }

    function activeIndex(parts) {
        return options(parts).findIndex(function (option) {
            return option.classList.contains("active");
        });
    }

    function render(parts, choices) {
        parts.list.innerHTML = "";
        choices.forEach(function (choice, index) {
            var item = document.createElement("li");
            item.setAttribute("role", "option");
            item.id = parts.list.id + "-" + index;
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
                pick(parts, item);
            });
            parts.list.appendChild(item);
        });
        var open = choices.length > 0;
        parts.list.hidden = !open;
        parts.list.style.display = open ? "block" : "";
        parts.input.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) {
            activate(parts, 0);
        }
    }

    function search(parts) {
        var text = parts.input.value.trim();
        if (!text) {
            close(parts);
            return;
        }
        var query = new URLSearchParams({q: text});
        (parts.box.dataset.params || "").split(",").filter(Boolean).forEach(function (pair) {
            var field = document.querySelector(pair.split("=")[1]);
            query.set(pair.split("=")[0], field ? field.value : "");
        });
        fetch(parts.box.dataset.source + "?" + query.toString(),
              {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (choices) {
                if (parts.input.value.trim() === text && document.activeElement === parts.input) {
                    render(parts, choices);
                }
            });
    }

    document.addEventListener("input", function (event) {
        var input = event.target;
        if (!isPicker(input)) {
            return;
        }
        var parts = partsOf(input);
        setValue(parts, "");
        clearTimeout(input._comboTimer);
        input._comboTimer = setTimeout(function () { search(parts); }, DEBOUNCE_MS);
    });

    document.addEventListener("keydown", function (event) {
        var input = event.target;
        if (!isPicker(input)) {
            return;
        }
        var parts = partsOf(input);
        var count = options(parts).length;
        var open = !parts.list.hidden && count > 0;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            if (!open) {
                search(parts);
                return;
            }
            activate(parts, (activeIndex(parts) + (event.key === "ArrowDown" ? 1 : -1) + count) % count);
        } else if (event.key === "Enter" && open) {
            event.preventDefault();
            pick(parts, options(parts)[Math.max(activeIndex(parts), 0)]);
        } else if (event.key === "Escape" && open) {
            event.preventDefault();
            close(parts);
        } else if (event.key === "Tab" && open && !parts.value.value) {
            pick(parts, options(parts)[Math.max(activeIndex(parts), 0)]);
        }
    }, true);

    document.addEventListener("focusout", function (event) {
        var input = event.target;
        if (isPicker(input)) {
            setTimeout(function () { close(partsOf(input)); }, 150);
        }
    });
}());
