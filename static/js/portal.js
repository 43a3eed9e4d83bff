/* Behaviour every page shares (loaded by base.html; the CSP allows no inline script).
   Every page works without it: it only fills in phone-card labels a template left out, moves focus
   to an error summary, keeps the sticky action bar off the focused field and names the chosen file. */
(function () {
  "use strict";

  function text(node) {
    return (node.textContent || "").replace(/\s+/g, " ").trim();
  }

  // Tables that become cards on a phone (.table-cards): the templates write each cell's data-label
  // themselves, so the cards are labelled without JavaScript (tests/portal/test_card_labels.py).
  // This is only a fallback for a cell still lacking one: it gets its column's name from <thead>.
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) names.push(text(cell));
    });
    Array.prototype.forEach.call(table.tBodies, function (body) { label(body.rows, names); });
    if (table.tFoot) label(table.tFoot.rows, names);
  });

  function label(rows, names) {
    Array.prototype.forEach.call(rows, function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var isRowHeader = cell.tagName === "TH" && cell.getAttribute("scope") === "row";
        if (!isRowHeader && !cell.hasAttribute("data-label") && row.cells.length > 1) {
          cell.setAttribute("data-label", names[column] || "");
        }
        column += cell.colSpan || 1;
      });
    });
  }

  // The sticky save/submit bar: html's scroll-padding-bottom follows its real height (portal.css),
  // so a field reached with Tab or a link is scrolled clear of it.
  var bar = document.querySelector(".action-bar");
  if (bar) {
    var setHeight = function () {
      document.documentElement.style.setProperty("--action-bar-height", bar.offsetHeight + "px");
    };
    setHeight();
    if (window.ResizeObserver) new ResizeObserver(setHeight).observe(bar);
  }

  // Error summary (templates/includes/error_summary.html): focus moves to it after a refused save,
  // and each of its links moves focus to the field it names (a plain #anchor only scrolls).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      // A group of radio buttons has no element of its own id: its first choice is id_0.
      var target = document.getElementById(id) || document.getElementById(id + "_0");
      if (!target) return;
      var field = target.matches("input, select, textarea, button")
        ? target
        : target.querySelector("input:not([type=hidden]), select, textarea");
      event.preventDefault();
      (field || target).scrollIntoView({ block: "center", behavior: "instant" });
      if (field) field.focus({ preventScroll: true });
      if (history.replaceState) history.replaceState(null, "", link.getAttribute("href"));
    });
  }

  // File pickers in the page's language (templates/includes/file_input.html): show the chosen name.
  document.querySelectorAll(".file-picker input[type=file]").forEach(function (input) {
    var name = input.parentNode.querySelector(".file-name");
    if (!name) return;
    var empty = name.textContent;
    input.addEventListener("change", function () {
      name.textContent = input.files && input.files.length ? input.files[0].name : empty;
    });
  });
})();
