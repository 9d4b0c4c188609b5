// Passkeys (WebAuthn) on the hosted pages and the console's Account page. No inline script (the
// CSP forbids it): a form marked data-passkey="get" or "create" finds its options in
// data-options (JSON) or asks data-options-url for them (a POST with the form's CSRF token),
// runs the ceremony, puts the browser's answer in its hidden "credential" field and submits.
// data-conditional also starts a conditional request on load, so that the browser offers
// passkeys in the email field's autofill where it can; pressing the button aborts it.
(() => {
  "use strict";

  const decode = (text) => {
    let s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0)).buffer;
  };
  const encode = (buffer) => {
    let s = "";
    for (const byte of new Uint8Array(buffer)) s += String.fromCharCode(byte);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  const creationOptions = (o) => {
    o.challenge = decode(o.challenge);
    o.user.id = decode(o.user.id);
    for (const c of o.excludeCredentials || []) c.id = decode(c.id);
    return o;
  };
  const requestOptions = (o) => {
    o.challenge = decode(o.challenge);
    for (const c of o.allowCredentials || []) c.id = decode(c.id);
    return o;
  };

  const asJSON = (credential) => {
    const r = credential.response;
    const out = {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: encode(r.clientDataJSON) },
    };
    if (r.attestationObject) {
      out.response.attestationObject = encode(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = encode(r.authenticatorData);
      out.response.signature = encode(r.signature);
      if (r.userHandle) out.response.userHandle = encode(r.userHandle);
    }
    return out;
  };

  const optionsOf = async (form) => {
    if (form.dataset.options) return JSON.parse(form.dataset.options);
    const body = new URLSearchParams({ csrf_token: form.elements.csrf_token.value });
    const answer = await fetch(form.dataset.optionsUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
    });
    if (!answer.ok) throw new Error("no options");
    return answer.json();
  };

  const say = (form, text) => {
    const status = form.querySelector("[data-passkey-status]");
    if (status) {
      status.textContent = text;
      status.hidden = false;
    }
  };

  let conditional = null; // the pending conditional request, aborted by the button

  const run = async (form, mediation) => {
    const options = await optionsOf(form);
    let credential;
    if (form.dataset.passkey === "create") {
      credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
    } else {
      const request = { publicKey: requestOptions(options) };
      if (mediation) {
        conditional = new AbortController();
        request.mediation = mediation;
        request.signal = conditional.signal;
      }
      credential = await navigator.credentials.get(request);
    }
    if (!credential) return;
    form.elements.credential.value = JSON.stringify(asJSON(credential));
    form.submit();
  };

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form[data-passkey]")) {
      if (!window.PublicKeyCredential) {
        say(form, "This browser cannot use passkeys.");
        continue;
      }
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        if (conditional) {
          conditional.abort();
          conditional = null;
        }
        run(form).catch((error) => {
          say(
            form,
            error && error.name === "NotAllowedError"
              ? "No passkey was used. Try again when you are ready."
              : "The passkey did not work. Try again.",
          );
        });
      });
      // Browsers refuse an IP address as relying party: no conditional request there.
      const ip = /^[\d.]+$/.test(location.hostname) || location.hostname.includes(":");
      if (
        !ip &&
        "conditional" in form.dataset &&
        PublicKeyCredential.isConditionalMediationAvailable
      ) {
        PublicKeyCredential.isConditionalMediationAvailable().then((available) => {
          if (available) run(form, "conditional").catch(() => {});
        });
      }
    }
  });
})();
