/* Agency tree page (R1–R3): collapse/expand, search as you type, keyboard navigation.
 *
 * Plain JavaScript, no framework. Search folds Vietnamese the way
 * app/agencies/outline.py fold_vietnamese does: lower case, no tone marks or
 * diacritics, đ → d; every typed word must occur in the name, short name or code.
 * Keys follow the WAI-ARIA tree pattern: ↑ ↓ Home End move, → opens, ← closes,
 * Enter opens the agency page; "/" jumps to the search box, Esc clears it.
 */
(function () {
  "use strict";

  var tree = document.getElementById("agency-tree");
  if (!tree) {
    return;
  }
  var search = document.getElementById("agency-search");
  var status = document.getElementById("agency-search-status");
  var empty = document.getElementById("agency-tree-empty");
  var items = Array.prototype.slice.call(tree.querySelectorAll("li[role=treeitem]"));
  var savedExpansion = null;

  function fold(text) {
    return text
      .toLowerCase()
      .replace(/đ/g, "d")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }

  function group(item) {
    return item.querySelector(":scope > ul[role=group]");
  }

  function parentItem(item) {
    var up = item.parentElement.closest("li[role=treeitem]");
    return up && tree.contains(up) ? up : null;
  }

  function setExpanded(item, expanded) {
    var children = group(item);
    if (!children) {
      return;
    }
    item.setAttribute("aria-expanded", expanded ? "true" : "false");
    children.hidden = !expanded;
  }

  function isExpanded(item) {
    return item.getAttribute("aria-expanded") === "true";
  }

  function shownItems() {
    return items.filter(function (item) {
      return item.offsetParent !== null;
    });
  }

  function focusItem(item) {
    if (!item) {
      return;
    }
    items.forEach(function (other) {
      other.tabIndex = other === item ? 0 : -1;
    });
    item.focus();
  }

  /* ---- search ---- */

  var names = items.map(function (item) {
    var link = item.querySelector(":scope > .agency-line > .agency-name");
    return { link: link, text: link.textContent };
  });

  function highlight(entry, words) {
    var text = entry.text;
    var folded = "";
    var origin = [];
    for (var i = 0; i < text.length; i += 1) {
      var piece = fold(text[i]) || (/\s/.test(text[i]) ? " " : "");
      for (var j = 0; j < piece.length; j += 1) {
        folded += piece[j];
        origin.push(i);
      }
    }
    var marked = new Array(text.length).fill(false);
    words.forEach(function (word) {
      var at = folded.indexOf(word);
      while (at >= 0) {
        for (var k = at; k < at + word.length; k += 1) {
          marked[origin[k]] = true;
        }
        at = folded.indexOf(word, at + word.length);
      }
    });
    entry.link.textContent = "";
    var start = 0;
    for (var end = 1; end <= text.length; end += 1) {
      if (end === text.length || marked[end] !== marked[start]) {
        var chunk = document.createTextNode(text.slice(start, end));
        if (marked[start]) {
          var mark = document.createElement("mark");
          mark.appendChild(chunk);
          entry.link.appendChild(mark);
        } else {
          entry.link.appendChild(chunk);
        }
        start = end;
      }
    }
  }

  function clearSearch() {
    items.forEach(function (item, index) {
      item.hidden = false;
      item.classList.remove("agency-match");
      names[index].link.textContent = names[index].text;
    });
    if (savedExpansion) {
      items.forEach(function (item, index) {
        setExpanded(item, savedExpansion[index]);
      });
      savedExpansion = null;
    }
    status.textContent = "";
    empty.hidden = true;
  }

  function runSearch() {
    var query = fold(search.value);
    if (!query) {
      clearSearch();
      return;
    }
    if (!savedExpansion) {
      savedExpansion = items.map(isExpanded);
    }
    var words = query.split(" ");
    var shown = new Set();
    var matches = 0;
    for (var i = items.length - 1; i >= 0; i -= 1) {
      var item = items[i];
      var text = item.getAttribute("data-search");
      var match = words.every(function (word) {
        return text.indexOf(word) >= 0;
      });
      var children = group(item);
      var holdsMatch = false;
      if (children) {
        holdsMatch = Array.prototype.some.call(children.children, function (child) {
          return shown.has(child);
        });
        setExpanded(item, holdsMatch);
      }
      if (match || holdsMatch) {
        shown.add(item);
      }
      item.hidden = !(match || holdsMatch);
      item.classList.toggle("agency-match", match);
      if (match) {
        matches += 1;
        highlight(names[i], [query].concat(words));
      } else {
        names[i].link.textContent = names[i].text;
      }
    }
    status.textContent = status.getAttribute("data-found").replace("__COUNT__", matches);
    empty.hidden = matches > 0;
    var focusable = shownItems()[0];
    items.forEach(function (other) {
      other.tabIndex = other === focusable ? 0 : -1;
    });
  }

  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      search.value = "";
      clearSearch();
    } else if (event.key === "ArrowDown" || event.key === "Enter") {
      event.preventDefault();
      var first = tree.querySelector("li.agency-match") || shownItems()[0];
      if (first && first.offsetParent !== null) {
        focusItem(first);
      } else {
        focusItem(shownItems()[0]);
      }
    }
  });

  /* ---- expand and collapse ---- */

  tree.addEventListener("click", function (event) {
    if (event.target.closest("a")) {
      return;
    }
    var line = event.target.closest(".agency-line");
    if (!line) {
      return;
    }
    var item = line.parentElement;
    setExpanded(item, !isExpanded(item));
    focusItem(item);
  });

  document.querySelectorAll("[data-tree-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      var expand = button.getAttribute("data-tree-action") === "expand";
      items.forEach(function (item) {
        setExpanded(item, expand);
      });
    });
  });

  /* ---- keyboard ---- */

  tree.addEventListener("keydown", function (event) {
    var item = event.target.closest("li[role=treeitem]");
    if (!item || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var shown = shownItems();
    var index = shown.indexOf(item);
    var handled = true;
    switch (event.key) {
      case "ArrowDown":
        focusItem(shown[index + 1]);
        break;
      case "ArrowUp":
        focusItem(shown[index - 1]);
        break;
      case "Home":
        focusItem(shown[0]);
        break;
      case "End":
        focusItem(shown[shown.length - 1]);
        break;
      case "ArrowRight":
        if (group(item) && !isExpanded(item)) {
          setExpanded(item, true);
        } else if (group(item)) {
          focusItem(shownItems()[index + 1]);
        }
        break;
      case "ArrowLeft":
        if (group(item) && isExpanded(item)) {
          setExpanded(item, false);
        } else {
          focusItem(parentItem(item));
        }
        break;
      case "Enter":
        window.location.assign(item.querySelector(":scope > .agency-line > .agency-name").href);
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
    }
  });

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing) {
      event.preventDefault();
      search.focus();
    }
  });

  if (items.length) {
    items[0].tabIndex = 0;
  }
})();
