// Checks the signed claims the certificate's QR carries in the URL fragment (#body.signature)
// with the published Ed25519 key, in the browser: a phone that opened the QR needs no server.
(function () {
  "use strict";
  var out = document.getElementById("cert-offline");
  if (!out || !window.crypto || !crypto.subtle) return;
  var token = decodeURIComponent((location.hash || "").slice(1));
  var dot = token.lastIndexOf(".");
  if (dot < 1) return;
  function bytes(b64) {
    var s = b64.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), arr = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
    return arr;
  }
  var body = token.slice(0, dot);
  var claims;
  try {
    claims = JSON.parse(new TextDecoder().decode(bytes(body)));
  } catch (e) {
    out.textContent = out.dataset.bad;
    return;
  }
  crypto.subtle
    .importKey("raw", bytes(out.dataset.key), { name: "Ed25519" }, false, ["verify"])
    .then(function (key) {
      return crypto.subtle.verify("Ed25519", key, bytes(token.slice(dot + 1)), new TextEncoder().encode(body));
    })
    .then(function (ok) {
      ok = ok && claims.c === out.dataset.code;
      out.textContent = ok ? out.dataset.ok : out.dataset.bad;
      out.className = ok ? "small text-success" : "small text-danger";
      out.setAttribute("data-verified", ok ? "yes" : "no");
    })
    .catch(function () { /* a browser without Ed25519: the server's answer above stands */ });
})();
