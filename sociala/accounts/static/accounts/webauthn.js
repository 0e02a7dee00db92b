/* Security keys (WebAuthn): adding one on the security page, signing in with one after the password.
 *
 * Markup (no inline script, strict CSP):
 *   <form data-webauthn="register" data-options-url="..." data-url="..." hidden> with a "name" field
 *   <section data-webauthn="login" data-options-url="..." data-url="..."> with a [data-webauthn-start] button
 * Each element has [data-webauthn-status] (polite live region) and [data-webauthn-error] (alert), and
 * carries its translated messages in data attributes. The server sends the options as JSON (binary values
 * in base64url) and keeps the challenge in the session; the answer goes back as JSON.
 */
(function () {
  "use strict";

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials && window.fetch);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function fromBase64url(value) {
    var base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = window.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: fromBase64url(item.id), transports: item.transports };
    });
  }

  function creationOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = fromBase64url(json.challenge);
    options.user = Object.assign({}, json.user, { id: fromBase64url(json.user.id) });
    options.excludeCredentials = descriptors(json.excludeCredentials);
    return options;
  }

  function requestOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = fromBase64url(json.challenge);
    options.allowCredentials = descriptors(json.allowCredentials);
    return options;
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var out = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: { clientDataJSON: toBase64url(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      out.response.attestationObject = toBase64url(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = toBase64url(response.authenticatorData);
      out.response.signature = toBase64url(response.signature);
      out.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : undefined;
    }
    return out;
  }

  function post(url, body) {
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function ui(root) {
    var status = root.querySelector("[data-webauthn-status]");
    var error = root.querySelector("[data-webauthn-error]");
    return {
      working: function () { error.textContent = ""; status.textContent = root.dataset.working; },
      fail: function (message) { status.textContent = ""; error.textContent = message; },
      done: function () { status.textContent = ""; }
    };
  }

  function follow(result) {
    if (result.data && result.data.redirect) { window.location.assign(result.data.redirect); return true; }
    return false;
  }

  function firstError(data) {
    if (!data) { return ""; }
    if (data.error) { return data.error; }
    if (data.errors) { return Object.keys(data.errors).map(function (k) { return data.errors[k]; }).join(" "); }
    return "";
  }

  function setUpRegistration(form) {
    var unsupported = document.querySelector("[data-webauthn-unsupported]");
    if (!supported()) { return; }
    form.hidden = false;
    if (unsupported) { unsupported.hidden = true; }
    var view = ui(form);
    var nameField = form.querySelector("input[name=name]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      view.working();
      nameField.removeAttribute("aria-invalid");
      post(form.dataset.optionsUrl).then(function (result) {
        if (result.status !== 200) { throw new Error(firstError(result.data)); }
        return navigator.credentials.create({ publicKey: creationOptions(result.data) });
      }).then(function (credential) {
        return post(form.dataset.url, { name: nameField.value, credential: credentialJSON(credential) });
      }).then(function (result) {
        if (follow(result)) { return; }
        if (result.data && result.data.errors && result.data.errors.name) {
          nameField.setAttribute("aria-invalid", "true");
          nameField.focus();
        }
        view.fail(firstError(result.data) || form.dataset.cancelled);
      }).catch(function (problem) {
        view.fail((problem && problem.name === "Error" && problem.message) || form.dataset.cancelled);
      });
    });
  }

  function setUpLogin(section) {
    var button = section.querySelector("[data-webauthn-start]");
    var view = ui(section);
    if (!supported()) { button.disabled = true; view.fail(section.dataset.unsupported); return; }
    button.addEventListener("click", function () {
      view.working();
      button.disabled = true;
      post(section.dataset.optionsUrl).then(function (result) {
        if (follow(result)) { return null; }
        if (result.status !== 200) { throw new Error(firstError(result.data)); }
        return navigator.credentials.get({ publicKey: requestOptions(result.data) });
      }).then(function (credential) {
        if (!credential) { return null; }
        return post(section.dataset.url, { credential: credentialJSON(credential) });
      }).then(function (result) {
        if (!result || follow(result)) { return; }
        button.disabled = false;
        view.fail(firstError(result.data) || section.dataset.cancelled);
      }).catch(function (problem) {
        button.disabled = false;
        view.fail((problem && problem.name === "Error" && problem.message) || section.dataset.cancelled);
      });
    });
  }

  function start() {
    document.querySelectorAll("[data-webauthn=register]").forEach(setUpRegistration);
    document.querySelectorAll("[data-webauthn=login]").forEach(setUpLogin);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
