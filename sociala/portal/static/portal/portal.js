/* Small behaviours of the citizens' portal. No inline scripts (strict Content-Security-Policy). */
(function () {
  "use strict";

  // Ask before leaving a form with answers not yet saved (autosave and submitting clear the flag).
  var dirty = false;
  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("form[data-warn-unsaved]")) dirty = true;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.target.closest && event.target.closest("form[data-warn-unsaved]")) dirty = false;
  });
  document.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  // After a failed "Fortsätt", move focus to the list of what to correct.
  document.addEventListener("DOMContentLoaded", function () {
    var errors = document.querySelector("[data-focus-on-load]");
    if (errors) errors.focus();
  });
})();
