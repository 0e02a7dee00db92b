// Sends the identity provider's response on from Sociala's own page, so the session cookie goes with it.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-sso-continue]");
  if (form) { form.submit(); }
});
