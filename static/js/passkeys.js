// Passkeys (WebAuthn). allauth's webauthn.js runs the browser's ceremony and reports a failure
// (cancelled, timed out, key already added) as an "allauth.error" event; here it becomes the
// matching message of the page (mfa/webauthn/snippets/scripts.html). A browser without WebAuthn
// gets a message instead of a button that does nothing.
(function () {
  document.addEventListener("allauth.error", function (event) {
    var box = document.querySelector("[data-webauthn-error]");
    if (!box) {
      return;
    }
    event.preventDefault();
    var name = event.detail && event.detail.exception && event.detail.exception.name;
    var specific = box.querySelector('[data-webauthn-error-message="' + name + '"]');
    box.querySelectorAll("[data-webauthn-error-message]").forEach(function (message) {
      message.hidden = specific ? message !== specific : message.dataset.webauthnErrorMessage !== "generic";
    });
    box.hidden = false;
    box.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (window.PublicKeyCredential) {
      return;
    }
    document.querySelectorAll("[data-webauthn-unsupported]").forEach(function (message) {
      message.hidden = false;
    });
    document.querySelectorAll("[data-webauthn-action]").forEach(function (button) {
      button.disabled = true;
    });
  });
})();
