/* Filters for the site's tables: no dependency, no network, works from file://.
 *
 * <input type="search" data-filter="ID">   shows the rows of table#ID's tbody holding every
 *                                          word typed (a row's data-search, else its text)
 * <select data-filter="ID" data-column="N"> keeps the rows whose cell N equals the choice
 *                                          ("" keeps all); several controls combine
 * <output data-count="ID">                 the number of rows shown
 * [data-needs-script]                      starts hidden; shown once this script runs
 *
 * Text is compared folded: diacritics dropped, đ as d, lowercase, and every character that
 * is not a letter or digit dropped within a word, so "so khcn" finds "Sở KH&CN".
 */
(function () {
  "use strict";
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().split(/\s+/)
      .map(function (w) { return w.replace(/[^\p{L}\p{N}]+/gu, ""); })
      .filter(function (w) { return w.length > 0; }).join(" ");
  }
  window.plantrackFold = fold;
  function apply(id) {
    var table = document.getElementById(id);
    if (!table || !table.tBodies.length) { return; }
    var controls = document.querySelectorAll('[data-filter="' + id + '"]');
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var keep = true;
      Array.prototype.forEach.call(controls, function (c) {
        var wanted = fold(c.value);
        if (!wanted) { return; }
        if (c.tagName === "SELECT") {
          var cell = row.cells[Number(c.getAttribute("data-column"))];
          keep = keep && !!cell && fold(cell.textContent) === wanted;
        } else {
          var text = " " + fold(row.getAttribute("data-search") || row.textContent) + " ";
          wanted.split(" ").forEach(function (word) {
            keep = keep && text.indexOf(word) !== -1;
          });
        }
      });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll('output[data-count="' + id + '"]'),
      function (out) { out.textContent = String(shown); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-needs-script]"),
      function (el) { el.hidden = false; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter]"), function (c) {
      var id = c.getAttribute("data-filter");
      c.addEventListener(c.tagName === "SELECT" ? "change" : "input", function () { apply(id); });
      apply(id);
    });
  });
}());
