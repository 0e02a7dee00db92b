/* Small behaviours of the staff UI. No inline scripts (strict Content-Security-Policy). */
(function () {
  "use strict";

  // "/" focuses the person search from anywhere except a text field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var search = document.querySelector("[data-shortcut='/']");
    if (search) { event.preventDefault(); search.focus(); search.select(); }
  });

  // Insert a phrase at the cursor of the target textarea.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-phrase]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-target"));
    if (!field) return;
    var text = button.getAttribute("data-insert-phrase");
    var start = field.selectionStart || 0, end = field.selectionEnd || 0;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    field.selectionStart = field.selectionEnd = start + text.length;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // Ask before leaving a form with unsaved changes (autosave clears the flag).
  var dirty = false;
  document.addEventListener("input", function (event) {
    if (event.target.closest("form[data-warn-unsaved]")) dirty = true;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.target.closest && event.target.closest("form[data-warn-unsaved]")) dirty = false;
  });
  document.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  // Move focus to the error summary after a failed submit.
  document.addEventListener("DOMContentLoaded", function () {
    var errors = document.querySelector("[data-focus-on-load]");
    if (errors) errors.focus();
    drawProcess();
  });

  // The process diagram (bpmn-js viewer) with the current step marked.
  function drawProcess() {
    var container = document.querySelector("[data-bpmn-url]");
    if (!container || typeof window.BpmnJS === "undefined") return;
    var viewer = new window.BpmnJS({ container: container });
    fetch(container.getAttribute("data-bpmn-url"), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas");
        canvas.zoom("fit-viewport");
        var registry = viewer.get("elementRegistry");
        (container.getAttribute("data-current-steps") || "").split(",").forEach(function (id) {
          if (id && registry.get(id)) canvas.addMarker(id, "current-step");
        });
        // The diagram is hidden from assistive technology (the step is also given as text): nothing inside takes focus.
        container.querySelectorAll("a, [tabindex], svg, .djs-container").forEach(function (el) {
          el.setAttribute("tabindex", "-1");
        });
      })
      .catch(function () { container.hidden = true; });
  }
})();
