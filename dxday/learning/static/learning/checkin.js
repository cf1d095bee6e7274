/* dxday check-in app: scans tickets and counts walk-ins offline, sends them exactly once.
 *
 * - The phone logs in once (POST /api/v1/auth/token) and keeps the token in localStorage.
 * - GET /api/v1/learning/checkin/config gives the offerings this account may check in, each
 *   with its ticket key and revoked tickets: a ticket is verified on the phone (HMAC-SHA256 by
 *   WebCrypto), without the registrant list and without a network.
 * - Every scan or walk-in gets a nonce (crypto.randomUUID) and waits in an IndexedDB queue;
 *   the queue is sent as a batch whenever the phone is online, again with backoff after a
 *   failure. The server counts a nonce once and a ticket once, so resending is always safe.
 * - A ticket scanned on another phone first comes back in `duplicate_scans` and is listed.
 */
(function () {
  "use strict";
  var root = document.getElementById("checkin-app");
  if (!root) return;
  var API = root.dataset.api;
  var T = JSON.parse(document.getElementById("checkin-i18n").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var store = window.localStorage;
  var LS = {
    token: "dxday.checkin.token", config: "dxday.checkin.config", offering: "dxday.checkin.offering",
    device: "dxday.checkin.device", seen: "dxday.checkin.seen", dups: "dxday.checkin.dups",
    rejected: "dxday.checkin.rejected", accepted: "dxday.checkin.accepted",
    walkins: "dxday.checkin.walkins", last: "dxday.checkin.last"
  };
  function load(key, fallback) {
    try { var v = JSON.parse(store.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function save(key, value) { store.setItem(key, JSON.stringify(value)); }
  function fmt(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; });
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- IndexedDB queue -------------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve, reject) {
    var req = indexedDB.open("dxday-checkin", 1);
    req.onupgradeneeded = function () { req.result.createObjectStore("queue", { keyPath: "nonce" }); };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
  function tx(mode, fn) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction("queue", mode), out = fn(t.objectStore("queue"));
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function enqueue(item) { return tx("readwrite", function (s) { s.put(item); }).then(refreshQueue).then(syncSoon); }
  function queued() { return tx("readonly", function (s) { return s.getAll(); }); }
  function dequeue(nonces) {
    return tx("readwrite", function (s) { nonces.forEach(function (n) { s.delete(n); }); });
  }
  function refreshQueue() {
    return queued().then(function (items) { $("queue-size").textContent = String(items.length); return items; });
  }

  // --- Tickets, verified on the phone ----------------------------------------------------------
  function b64url(bytes) {
    var s = ""; bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function unb64url(text) {
    var s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function verify(payload, offering) {
    var parts = payload.trim().split(".");
    if (parts.length !== 4 || parts[0] !== "L1") return Promise.resolve({ ok: false, why: T.bad_ticket });
    var oid = parseInt(parts[1], 36), tid = parseInt(parts[2], 36);
    if (oid !== offering.id) return Promise.resolve({ ok: false, why: T.wrong_offering });
    if ((offering.revoked || []).indexOf(tid) !== -1) return Promise.resolve({ ok: false, why: T.revoked });
    if (!(window.crypto && crypto.subtle)) return Promise.resolve({ ok: true, tid: tid });  // the server checks
    var enc = new TextEncoder();
    return crypto.subtle.importKey("raw", unb64url(offering.key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (key) { return crypto.subtle.sign("HMAC", key, enc.encode(parts.slice(0, 3).join("."))); })
      .then(function (sig) {
        var mine = b64url(Array.prototype.slice.call(new Uint8Array(sig), 0, 12));
        return mine === parts[3] ? { ok: true, tid: tid } : { ok: false, why: T.bad_ticket };
      });
  }

  // --- Screen ----------------------------------------------------------------------------------
  function say(text, kind) {
    var box = $("scan-result");
    box.textContent = text; box.className = "msg " + (kind || "ok"); box.hidden = false;
  }
  function current() {
    var config = load(LS.config, { offerings: [] }), id = parseInt($("offering").value, 10);
    return config.offerings.filter(function (o) { return o.id === id; })[0] || null;
  }
  function renderLists() {
    var dups = load(LS.dups, []), list = $("dup-list");
    list.textContent = "";
    dups.forEach(function (d) {
      var li = document.createElement("li");
      li.textContent = fmt(T.dup_line, { name: d.name || d.ticket, device: d.first_device || "?",
        when: d.first_scanned_at ? new Date(d.first_scanned_at).toLocaleString("vi-VN") : "?" });
      list.appendChild(li);
    });
    $("dups").hidden = dups.length === 0;
    var rejected = load(LS.rejected, []), rl = $("rejected");
    rl.textContent = "";
    rejected.forEach(function (r) {
      var li = document.createElement("li"); li.textContent = r; rl.appendChild(li);
    });
    $("rejected-box").hidden = rejected.length === 0;
    $("accepted").textContent = String(load(LS.accepted, 0));
    var counts = load(LS.walkins, {}), o = current();
    $("walkin-count").textContent = String(o ? counts[o.id] || 0 : 0);
    var last = load(LS.last, null);
    $("last-sync").textContent = last ? new Date(last).toLocaleTimeString("vi-VN") : T.never;
  }
  function renderOfferings() {
    var config = load(LS.config, { offerings: [] }), sel = $("offering"), chosen = load(LS.offering, null);
    sel.textContent = "";
    config.offerings.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = String(o.id);
      opt.textContent = o.title + " — " + new Date(o.starts_at).toLocaleString("vi-VN");
      if (o.id === chosen) opt.selected = true;
      sel.appendChild(opt);
    });
    var buttons = $("walkin-buttons");
    if (buttons.children.length === 1) {
      (config.age_groups || []).forEach(function (g) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "secondary"; b.dataset.age = g.code;
        b.textContent = "+1 " + g.name;
        buttons.appendChild(b);
      });
    }
  }
  function showWork() {
    var logged = !!load(LS.token, null);
    $("setup").hidden = logged;
    $("work").hidden = $("walkins").hidden = !logged;
    if (logged) { renderOfferings(); renderLists(); }
    $("device").textContent = load(LS.device, "");
  }
  function net() {
    document.body.classList.toggle("offline", !navigator.onLine);
    $("net").textContent = navigator.onLine ? T.online : T.offline;
  }

  // --- Actions ---------------------------------------------------------------------------------
  function checkIn(payload) {
    var o = current();
    if (!o) return say(T.no_offering, "err");
    return verify(payload, o).then(function (r) {
      if (!r.ok) return say(r.why, "err");
      var seen = load(LS.seen, {}), key = o.id + ":" + r.tid;
      if (seen[key]) return say(T.seen_here, "warn");
      seen[key] = Date.now(); save(LS.seen, seen);
      return enqueue({ nonce: uuid(), offering: o.id, ticket: payload.trim(),
                       scanned_at: new Date().toISOString(), device: load(LS.device, "") })
        .then(function () { say(T.checked_in, "ok"); });
    });
  }
  function lookup(text) {
    var o = current();
    if (!o) return say(T.no_offering, "err");
    if (!navigator.onLine) return say(T.lookup_offline, "warn");
    return api("GET", "learning/checkin/lookup?offering=" + o.id + "&q=" + encodeURIComponent(text))
      .then(function (resp) { return resp.ok ? resp.json() : []; })
      .then(function (rows) {
        var list = $("lookup"); list.textContent = "";
        if (!rows.length) return say(T.not_found, "warn");
        $("scan-result").hidden = true;
        rows.forEach(function (row) {
          var li = document.createElement("li"), b = document.createElement("button");
          li.textContent = row.name + " (" + row.code + ")";
          b.type = "button"; b.textContent = T.check_in_button;
          b.addEventListener("click", function () { list.textContent = ""; checkIn(row.ticket); });
          li.appendChild(b); list.appendChild(li);
        });
      }, function () { say(T.lookup_offline, "warn"); });
  }
  function walkIn(age) {
    var o = current();
    if (!o) return say(T.no_offering, "err");
    var counts = load(LS.walkins, {}); counts[o.id] = (counts[o.id] || 0) + 1; save(LS.walkins, counts);
    var item = { nonce: uuid(), offering: o.id, walk_ins: 1, scanned_at: new Date().toISOString(),
                 device: load(LS.device, "") };
    if (age) item.age_group = age;
    enqueue(item); renderLists();
  }

  // --- Network ---------------------------------------------------------------------------------
  function api(method, path, body) {
    var headers = { "Accept": "application/json" }, token = load(LS.token, null);
    if (token) headers.Authorization = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(API + path, { method: method, headers: headers, credentials: "omit",
                               body: body === undefined ? undefined : JSON.stringify(body) });
  }
  function fetchConfig() {
    if (!navigator.onLine || !load(LS.token, null)) return Promise.resolve();
    return api("GET", "learning/checkin/config").then(function (resp) {
      if (!resp.ok) return;
      return resp.json().then(function (config) { save(LS.config, config); renderOfferings(); renderLists(); });
    }, function () {});
  }
  var syncing = false, backoff = 0, timer = null;
  function syncSoon() { clearTimeout(timer); timer = setTimeout(sync, 50); }
  function retryLater(note) {
    backoff = Math.min(backoff ? backoff * 2 : 2, 300);
    var wait = backoff * (0.8 + Math.random() * 0.4);
    $("sync-note").textContent = fmt(note || T.retry, { s: Math.round(wait) }); $("sync-note").hidden = false;
    clearTimeout(timer); timer = setTimeout(sync, wait * 1000);
  }
  function sync() {
    if (syncing || !navigator.onLine || !load(LS.token, null)) return Promise.resolve();
    syncing = true;
    return queued().then(function (items) {
      if (!items.length) return;
      items = items.slice(0, 500);
      return api("POST", "learning/checkins/batch", { checkins: items }).then(function (resp) {
        if (resp.status === 401 || resp.status === 403) { $("sync-note").textContent = T.auth; $("sync-note").hidden = false; return; }
        if (resp.status === 429) return retryLater(T.retry);
        if (!resp.ok) return retryLater(T.retry);
        return resp.json().then(function (result) {
          backoff = 0; $("sync-note").hidden = true;
          save(LS.accepted, load(LS.accepted, 0) + result.accepted);
          save(LS.dups, load(LS.dups, []).concat(result.duplicate_scans || []));
          var rejected = load(LS.rejected, []);
          (result.rejected || []).forEach(function (r) {
            rejected.push(r.errors.map(function (e) { return e.message; }).join(" "));
          });
          save(LS.rejected, rejected.slice(-50));
          save(LS.last, Date.now());
          return dequeue(items.map(function (i) { return i.nonce; }));
        }).then(function () { return queued(); }).then(function (rest) { if (rest.length) syncSoon(); });
      }, function () { retryLater(T.retry); });
    }).then(function () { syncing = false; renderLists(); return refreshQueue(); },
            function () { syncing = false; });
  }

  // --- Camera ----------------------------------------------------------------------------------
  var scanning = false;
  function loadJsQR() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root.dataset.jsqr; s.onload = function () { resolve(window.jsQR); }; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function camera() {
    var video = $("video");
    if (scanning) { scanning = false; return; }
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return say(T.no_camera, "err");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream; video.hidden = false; scanning = true; video.play();
      var detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      var canvas = document.createElement("canvas"), ctx = canvas.getContext("2d"), last = "";
      var decode = detector
        ? function () { return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; }); }
        : function () {
            return loadJsQR().then(function (jsQR) {
              canvas.width = video.videoWidth; canvas.height = video.videoHeight;
              if (!canvas.width) return null;
              ctx.drawImage(video, 0, 0);
              var img = ctx.getImageData(0, 0, canvas.width, canvas.height), hit = jsQR(img.data, img.width, img.height);
              return hit ? hit.data : null;
            });
          };
      (function tick() {
        if (!scanning) { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; return; }
        decode().then(function (text) {
          if (text && text !== last) { last = text; checkIn(text); }
          setTimeout(tick, 250);
        }, function () { setTimeout(tick, 500); });
      })();
    }, function () { say(T.no_camera, "err"); });
  }

  // --- Wiring ----------------------------------------------------------------------------------
  $("login-form").addEventListener("submit", function (e) {
    e.preventDefault();
    fetch(API + "auth/token", { method: "POST", headers: { "Content-Type": "application/json" },
      credentials: "omit", body: JSON.stringify({ username: $("username").value, password: $("password").value }) })
      .then(function (resp) { return resp.json().then(function (body) { return { ok: resp.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) { $("login-msg").textContent = r.body.message || T.login_failed; $("login-msg").hidden = false; return; }
        save(LS.token, r.body.token);
        if (!load(LS.device, null)) save(LS.device, T.device_prefix + "-" + uuid().slice(0, 4));
        $("password").value = ""; $("login-msg").hidden = true;
        return fetchConfig().then(showWork).then(syncSoon);
      }, function () { $("login-msg").textContent = T.login_failed; $("login-msg").hidden = false; });
  });
  $("offering").addEventListener("change", function () { save(LS.offering, parseInt($("offering").value, 10)); renderLists(); });
  $("manual-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = $("manual").value.trim();
    if (!text) return;
    $("manual").value = "";
    if (/^L1\./.test(text)) checkIn(text); else lookup(text);
  });
  $("camera").addEventListener("click", camera);
  $("walkin-buttons").addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (b) walkIn(b.dataset.age);
  });
  $("forget").addEventListener("click", function () {
    [LS.token, LS.config, LS.offering].forEach(function (k) { store.removeItem(k); });
    showWork();
  });
  window.addEventListener("online", function () { net(); backoff = 0; fetchConfig(); syncSoon(); });
  window.addEventListener("offline", net);
  setInterval(function () { fetchConfig(); sync(); }, 5 * 60 * 1000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
  net(); showWork(); refreshQueue(); fetchConfig().then(syncSoon);
})();
