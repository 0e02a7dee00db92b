/* Warns before an idle session is signed out, and lets the user go on working.
 *
 * Included once in the page layout:
 *   <script src=".../accounts/session-timeout.js" data-status-url="..." data-keepalive-url="..."
 *           data-login-url="..." defer></script>
 * The server is the clock: the script asks how many seconds are left (GET, not counted as activity)
 * and shows a dialog when fewer than the warning time remain. No inline script (strict CSP).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) { return; }
  var statusUrl = script.dataset.statusUrl;
  var keepaliveUrl = script.dataset.keepaliveUrl;
  var loginUrl = script.dataset.loginUrl;
  var timer = null;
  var ticker = null;
  var dialog = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function schedule(seconds) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(1, seconds) * 1000);
  }

  function signedOut() {
    window.clearInterval(ticker);
    var next = window.location.pathname + window.location.search;
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(next));
  }

  function closeDialog() {
    window.clearInterval(ticker);
    if (dialog && dialog.open) { dialog.close(); }
    // The design system's reset shows every dialog (display: block), open or not.
    if (dialog) { dialog.style.display = "none"; }
  }

  function buildDialog(status) {
    dialog = document.createElement("dialog");
    dialog.className = "session-timeout";
    dialog.setAttribute("aria-labelledby", "session-timeout-title");
    dialog.setAttribute("aria-describedby", "session-timeout-text");
    var box = document.createElement("div");
    box.className = "message-box message-box--warning";
    var content = document.createElement("div");
    content.className = "message-box__content";
    var title = document.createElement("h2");
    title.id = "session-timeout-title";
    title.className = "heading--h4";
    title.textContent = status.title;
    var text = document.createElement("p");
    text.id = "session-timeout-text";
    text.setAttribute("aria-live", "polite");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--primary button--small";
    button.textContent = status["continue"];
    button.addEventListener("click", keepAlive);
    content.appendChild(title);
    content.appendChild(text);
    content.appendChild(button);
    box.appendChild(content);
    dialog.appendChild(box);
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); keepAlive(); });
    dialog.style.display = "none";
    document.body.appendChild(dialog);
    return dialog;
  }

  function warn(status) {
    if (!dialog) { buildDialog(status); }
    var left = status.seconds_left;
    var text = dialog.querySelector("#session-timeout-text");
    function render() {
      text.textContent = status.text.replace("%(seconds)s", String(Math.max(0, left)));
    }
    render();
    if (!dialog.open) {
      dialog.style.display = "";
      dialog.showModal();
      dialog.querySelector("button").focus();
    }
    window.clearInterval(ticker);
    ticker = window.setInterval(function () {
      left -= 1;
      if (left % 10 === 0 || left < 10) { render(); }
      if (left <= 0) { window.clearInterval(ticker); check(); }
    }, 1000);
  }

  function handle(status) {
    if (!status.authenticated || status.seconds_left <= 0) { signedOut(); return; }
    if (status.seconds_left > status.warning_seconds) {
      closeDialog();
      schedule(status.seconds_left - status.warning_seconds);
    } else {
      warn(status);
    }
  }

  function check() {
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(handle)
      .catch(function () { schedule(30); });
  }

  function keepAlive() {
    fetch(keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    })
      .then(function (response) { return response.json(); })
      .then(handle)
      .catch(function () { schedule(30); });
  }

  // Requests made by htmx (autosave, search) count as activity on the server: ask again afterwards.
  document.addEventListener("htmx:afterRequest", function () { if (!dialog || !dialog.open) { schedule(2); } });
  check();
})();
