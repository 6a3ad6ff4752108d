// ChangeProg's own behaviour, small and optional: every page works without it.
(function () {
  "use strict";
  // After a refused submit, focus the error summary so a keyboard or screen reader user starts there.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
  // On the grid, changing anything in a row ticks it to be recorded.
  document.querySelectorAll("[data-grid-row]").forEach(function (row) {
    var tick = row.querySelector("[data-grid-record]");
    if (!tick) return;
    row.addEventListener("change", function (event) {
      if (event.target !== tick) tick.checked = true;
    });
    row.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") tick.checked = true;
    });
  });
})();
