/* Ward Profiles: the little the pages need beyond HTML and CSS.
   1. A table marked "stacked" shows each row as a card on a phone (app.css); each cell is
      labelled with its column's heading, read here from the table's own header row, so a
      heading is written once, in the template.
   2. Printing opens every collapsed section, so a printed page holds everything. */
(function () {
  "use strict";
  document.querySelectorAll("table.stacked").forEach(function (table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (cell.tagName === "TD" && headings[i] && i > 0) { cell.dataset.label = headings[i]; }
      });
    });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      details.dataset.printed = "1";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-printed]").forEach(function (details) {
      details.removeAttribute("open");
      delete details.dataset.printed;
    });
  });
})();
