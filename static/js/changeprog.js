// ChangeProg's own behaviour, small and optional: every page works without it.
(function () {
  "use strict";
  // After a refused submit, focus the error summary so a keyboard or screen reader user starts there.
  var summary = document.getElementById("form-errors") || document.querySelector("main form ~ .alert-danger, main .alert-danger[role=alert]");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
  // On a narrow screen the menu button shows and hides the navigation (Bootstrap's styles; no Bootstrap script).
  document.querySelectorAll("[data-nav-toggle]").forEach(function (button) {
    var menu = document.getElementById(button.getAttribute("data-nav-toggle"));
    if (!menu) return;
    button.addEventListener("click", function () {
      var open = menu.classList.toggle("show");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.setAttribute("aria-label", open ? "Hide navigation" : "Show navigation");
    });
  });
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
  // First-visit hints: hidden for good once their reader says "Got it" (kept in this browser).
  document.querySelectorAll("[data-hint]").forEach(function (hint) {
    var key = "changeprog-hint-" + hint.getAttribute("data-hint");
    var button = hint.querySelector("[data-hint-dismiss]");
    try {
      if (window.localStorage.getItem(key)) { hint.hidden = true; return; }
    } catch (e) { /* storage refused: the hint stays */ }
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      try { window.localStorage.setItem(key, "1"); } catch (e) { /* ignore */ }
      hint.hidden = true;
    });
  });
  // A section fetched after the page (aria-busy while it comes) that could not be fetched stops being busy and
  // says so; its link to the full page still works.
  function fetchFailed(event) {
    var section = event.detail && event.detail.elt;
    if (!section || section.getAttribute("aria-busy") !== "true") return;
    section.setAttribute("aria-busy", "false");
    var note = section.querySelector("[data-failed]");
    if (note) {
      note.textContent = note.getAttribute("data-failed");
      note.setAttribute("role", "status");
    }
  }
  document.body.addEventListener("htmx:responseError", fetchFailed);
  document.body.addEventListener("htmx:sendError", fetchFailed);
})();
