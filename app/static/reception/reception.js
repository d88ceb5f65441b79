/* The reception-visit form (templates/petitions/reception_form.html):
   - a citizen chosen in the picker becomes a row of the citizens received;
   - "Add a new citizen" adds an empty row to type one in; rows can be removed;
   - the L136 warning appears when a reception on or after 01/07/2026 is delegated.
   The pickers themselves are petitions.js's (.dt-combo). */
(function () {
    "use strict";

    var form = document.getElementById("reception-form");
    if (!form) {
        return;
    }
    var visitors = document.getElementById("visitors");

    function nextRow() {
        var row = parseInt(visitors.dataset.nextRow, 10) || 0;
        visitors.dataset.nextRow = String(row + 1);
        return String(row);
    }

    function addRow(templateId, citizenId) {
        var template = document.getElementById(templateId);
        var html = template.innerHTML.split("__N__").join(nextRow());
        if (citizenId) {
            html = html.split("__ID__").join(citizenId);
        }
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var row = holder.firstElementChild;
        visitors.appendChild(row);
        return row;
    }

    function alreadyListed(citizenId) {
        return Array.prototype.some.call(
            visitors.querySelectorAll("input[name$='-citizen']"),
            function (input) { return input.value === citizenId; }
        );
    }

    var pickValue = form.querySelector("input[name=citizen_pick]");
    var pickInput = document.getElementById("citizen_search");
    var pickList = document.getElementById("citizen_search-list");
    var pickedHint = "";

    // The picker empties its list when a choice is made: keep the choice's hint first.
    function keepHint(option) {
        var hint = option && option.querySelector("small");
        pickedHint = hint ? hint.textContent.trim() : "";
    }
    pickList.addEventListener("mousedown", function (event) {
        keepHint(event.target.closest("[role=option]"));
    }, true);
    // on window, so that it runs before the picker's own (document) key handler
    window.addEventListener("keydown", function (event) {
        if (event.target === pickInput && (event.key === "Enter" || event.key === "Tab")) {
            keepHint(pickList.querySelector("[role=option].active"));
        }
    }, true);

    pickValue.addEventListener("change", function () {
        var citizenId = pickValue.value;
        if (!citizenId) {
            return;
        }
        if (!alreadyListed(citizenId)) {
            var row = addRow("chosen-visitor-template", citizenId);
            row.querySelector("[data-slot=label]").textContent = pickInput.value;
            row.querySelector("[data-slot=hint]").textContent = pickedHint;
        }
        pickValue.value = "";
        pickInput.value = "";
        pickInput.focus();
    });

    document.getElementById("add-visitor").addEventListener("click", function () {
        var row = addRow("new-visitor-template");
        row.querySelector("input[type=text]").focus();
    });

    visitors.addEventListener("click", function (event) {
        var button = event.target.closest("[data-remove-visitor]");
        if (button) {
            button.closest(".reception-visitor").remove();
            pickInput.focus();
        }
    });

    // ---- L136: no delegation to a deputy from 01/07/2026 --------------------------------
    var received = document.getElementById("received_at");
    var delegated = document.getElementById("delegated");
    var warning = document.getElementById("delegation-warning");

    function localDay(text) {
        var match = /(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})/.exec(text || "");
        return match ? new Date(+match[3], +match[2] - 1, +match[1]) : null;
    }

    function refreshWarning() {
        var day = localDay(received.value);
        var from = localDay(received.dataset.noDelegationFrom);
        warning.hidden = !(delegated.checked && day && from && day >= from);
    }

    received.addEventListener("input", refreshWarning);
    received.addEventListener("change", refreshWarning);
    delegated.addEventListener("change", refreshWarning);
    refreshWarning();
}());
