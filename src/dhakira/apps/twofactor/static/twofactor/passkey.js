// Passkeys: register one on the two-step page, use one after the password.
// The server makes the options and checks the answers (py_webauthn); this only carries them
// between the server and the browser's WebAuthn API, as JSON (parse…FromJSON, toJSON).
(function () {
  "use strict";

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function ServerSaid(message) { this.message = message; }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body || "{}",
      headers: {"X-CSRFToken": csrf(), "Content-Type": "application/json"}
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new ServerSaid(data.error || ""); }
        return data;
      });
    });
  }

  function show(button, text, bad) {
    var out = document.getElementById(button.dataset.status);
    out.textContent = text;
    out.className = bad ? "error" : "ok";
    out.setAttribute("role", bad ? "alert" : "status");
  }

  function failed(button) {
    return function (error) {
      button.disabled = false;
      show(button, error instanceof ServerSaid && error.message ? error.message
                                                                 : button.dataset.failed, true);
    };
  }

  function supported(button) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON) {
      return true;
    }
    show(button, button.dataset.unsupported, true);
    return false;
  }

  var add = document.getElementById("passkey-add");
  if (add) {
    add.addEventListener("click", function () {
      if (!supported(add)) { return; }
      add.disabled = true;
      post(add.dataset.options).then(function (options) {
        return navigator.credentials.create(
          {publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options)});
      }).then(function (credential) {
        var name = document.getElementById("passkey-name");
        return post(add.dataset.register, JSON.stringify(
          {credential: credential.toJSON(), name: name ? name.value : ""}));
      }).then(function (data) {
        add.disabled = false;
        show(add, data.ok, false);
      }, failed(add));
    });
  }

  var use = document.getElementById("passkey-use");
  if (use) {
    use.addEventListener("click", function () {
      if (!supported(use)) { return; }
      use.disabled = true;
      post(use.dataset.options).then(function (options) {
        return navigator.credentials.get(
          {publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)});
      }).then(function (credential) {
        return post(use.dataset.login, JSON.stringify(credential.toJSON()));
      }).then(function (data) {
        window.location.assign(data.next);
      }, failed(use));
    });
  }
}());
