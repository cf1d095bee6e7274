/* dxday field app: log guidance sessions offline, sync them when the network returns.
 *
 * Sessions wait in IndexedDB, each with a client-generated UUID (the idempotency key), and are
 * sent in batches to POST /api/v1/outreach/sessions/batch. A batch that was stored but whose
 * answer was lost is simply sent again: the server counts each client_id once.
 */
(function () {
  "use strict";
  var root = document.getElementById("field-app");
  var API = root.dataset.api;
  var BATCH = 500;
  var T = JSON.parse(document.getElementById("field-i18n").textContent);
  var store = window.localStorage;
  var db = null;
  var syncing = false;
  var backoff = 0;
  var retryTimer = null;

  function $(id) { return document.getElementById(id); }
  function token() { return store.getItem("dxday.token") || ""; }
  function config() {
    try { return JSON.parse(store.getItem("dxday.config") || "null"); } catch (e) { return null; }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmt(d) {
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + " " + pad(d.getDate()) + "/" +
      pad(d.getMonth() + 1) + "/" + d.getFullYear();
  }
  function localInput(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function flash(text, ok) {
    var m = $("form-msg");
    m.textContent = text;
    m.className = "msg " + (ok ? "ok" : "err");
    m.hidden = false;
  }

  /* --- IndexedDB queue ------------------------------------------------------------------- */
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("dxday-field", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("queue", { keyPath: "client_id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, fn) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction("queue", mode);
      var out = fn(t.objectStore("queue"));
      t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
      t.onerror = function () { reject(t.error); };
    });
  }
  function queueAll() { return tx("readonly", function (s) { return s.getAll(); }); }
  function queuePut(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function queueDelete(ids) {
    return tx("readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); });
  }

  /* --- Status line (always visible) ------------------------------------------------------ */
  function renderStatus() {
    var online = navigator.onLine;
    document.body.classList.toggle("offline", !online);
    $("net").textContent = online ? T.online : T.offline;
    var last = store.getItem("dxday.lastSync");
    $("last-sync").textContent = last ? fmt(new Date(last)) : T.never;
    return queueAll().then(function (items) { $("queue-size").textContent = items.length; });
  }
  function renderRejected() {
    var list = JSON.parse(store.getItem("dxday.rejected") || "[]");
    var ul = $("rejected-list");
    ul.textContent = "";
    list.forEach(function (r) {
      var li = document.createElement("li");
      li.textContent = r.when + " — " + r.errors.map(function (e) { return e.message; }).join(" ");
      ul.appendChild(li);
    });
    $("rejected").hidden = list.length === 0;
  }

  /* --- Sync -------------------------------------------------------------------------------- */
  function schedule(seconds) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(sync, seconds * 1000);
  }
  function sync() {
    if (syncing || !token()) return Promise.resolve();
    return queueAll().then(function (items) {
      if (!items.length) return renderStatus();
      if (!navigator.onLine) return renderStatus();
      syncing = true;
      var batch = items.slice(0, BATCH);
      var body = JSON.stringify({ sessions: batch.map(function (i) { return i.payload; }) });
      return fetch(API + "sessions/batch", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token() },
        body: body,
      }).then(function (resp) {
        if (resp.status === 401) { throw { auth: true }; }
        if (resp.status === 429) {
          throw { retry: parseInt(resp.headers.get("Retry-After") || "30", 10) };
        }
        if (!resp.ok) throw { status: resp.status };
        return resp.json();
      }).then(function (result) {
        var rejected = JSON.parse(store.getItem("dxday.rejected") || "[]");
        result.rejected.forEach(function (r) {
          var item = batch[r.index];
          rejected.unshift({ client_id: r.client_id, when: item ? item.label : "", errors: r.errors });
        });
        store.setItem("dxday.rejected", JSON.stringify(rejected.slice(0, 50)));
        store.setItem("dxday.lastSync", new Date().toISOString());
        backoff = 0;
        // Accepted, duplicates and rejected all leave the queue: the server has decided.
        return queueDelete(batch.map(function (i) { return i.client_id; })).then(function () {
          renderRejected();
          if (items.length > batch.length) schedule(1);
        });
      }).catch(function (e) {
        if (e && e.auth) {
          flash(T.bad_token, false);
          $("setup").hidden = false;
          return;
        }
        var wait = e && e.retry ? e.retry : Math.min(300, 5 * Math.pow(2, backoff));
        backoff = Math.min(backoff + 1, 6);
        schedule(wait);
      }).then(function () {
        syncing = false;
        return renderStatus();
      });
    });
  }

  /* --- Setup: device token, or exchange the signed-in session for one -------------------- */
  function loadConfig() {
    if (!token() || !navigator.onLine) return Promise.resolve(config());
    return fetch(API + "me", { headers: { "Authorization": "Bearer " + token() } })
      .then(function (r) {
        if (r.status === 401) { store.removeItem("dxday.token"); throw new Error("auth"); }
        return r.json();
      })
      .then(function (c) { store.setItem("dxday.config", JSON.stringify(c)); return c; })
      .catch(function () { return config(); });
  }
  function renderForm(c) {
    var ready = !!(token() && c && c.team);
    $("setup").hidden = ready;
    $("log").hidden = !ready;
    if (!ready) {
      if (token() && c && !c.team) flash(T.no_team, false);
      return;
    }
    $("team-name").textContent = c.team.name + " — " + c.team.commune;
    var sel = $("member");
    sel.textContent = "";
    c.members.forEach(function (m) {
      var o = document.createElement("option");
      o.value = m.id;
      o.textContent = m.name + " (" + m.role + ")";
      if (m.id === c.member) o.selected = true;
      sel.appendChild(o);
    });
    var box = $("topics");
    box.textContent = "";
    c.topics.forEach(function (t) {
      var d = document.createElement("div");
      d.className = "topic";
      d.dataset.code = t.code;
      d.innerHTML = '<label><input type="checkbox"><span></span></label>' +
        '<div class="row"><div><label>' + T.people + '<input type="number" min="0" inputmode="numeric" class="tp"></label></div>' +
        '<div><label><span class="ol"></span><input type="number" min="0" inputmode="numeric" class="to" value="0"></label></div></div>';
      d.querySelector("span").textContent = t.name;
      d.querySelector(".ol").textContent = t.outcome_label;
      d.querySelector("input[type=checkbox]").addEventListener("change", function (ev) {
        d.classList.toggle("on", ev.target.checked);
        var tp = d.querySelector(".tp");
        if (ev.target.checked && !tp.value) tp.value = $("people").value || "";
      });
      box.appendChild(d);
    });
    if (c.windows && c.windows.length) {
      $("window").textContent = c.windows.map(function (w) {
        return w.name + ": " + w.starts_on.split("-").reverse().join("/") + " – " + w.ends_on.split("-").reverse().join("/");
      }).join("; ");
    }
    $("occurred").value = localInput(new Date());
  }

  function collect() {
    var topics = [];
    var errors = [];
    var people = parseInt($("people").value, 10);
    var households = parseInt($("households").value, 10);
    if (isNaN(households) || households < 0) errors.push(T.households_required);
    if (isNaN(people) || people < 0) errors.push(T.people_required);
    Array.prototype.forEach.call(document.querySelectorAll(".topic.on"), function (d) {
      var tp = parseInt(d.querySelector(".tp").value || "0", 10);
      var to = parseInt(d.querySelector(".to").value || "0", 10);
      var name = d.querySelector("span").textContent;
      if (tp > people) errors.push(T.part_exceeds.replace("%(name)s", name));
      if (to > tp) errors.push(T.outcome_exceeds.replace("%(name)s", name));
      topics.push({ topic: d.dataset.code, people_guided: tp, outcome: to });
    });
    if (people > 0 && !topics.length) errors.push(T.topic_required);
    var when = new Date($("occurred").value);
    if (isNaN(when.getTime())) errors.push(T.when_required);
    return {
      errors: errors,
      payload: {
        client_id: uuid(),
        member: parseInt($("member").value, 10),
        occurred_at: isNaN(when.getTime()) ? "" : when.toISOString(),
        households_visited: households,
        people_guided: people,
        topics: topics,
        note: $("note").value.trim(),
      },
      label: isNaN(when.getTime()) ? "" : fmt(when),
    };
  }

  function tokenFromLink() {
    // A QR code on the leader's page opens the app at …/ung-dung/#t=<token>: keep it, hide it.
    var m = /^#t=(.+)$/.exec(window.location.hash);
    if (m) {
      store.setItem("dxday.token", decodeURIComponent(m[1]));
      history.replaceState(null, "", window.location.pathname);
    }
  }

  function init() {
    tokenFromLink();
    $("save-token").addEventListener("click", function () {
      var v = $("token").value.trim();
      if (!v) return;
      store.setItem("dxday.token", v);
      loadConfig().then(renderForm).then(sync);
    });
    var ex = $("exchange");
    if (ex) ex.addEventListener("click", function () {
      fetch(ex.dataset.url, { method: "POST", headers: { "X-CSRFToken": ex.dataset.csrf }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (b) {
          if (b.token) { store.setItem("dxday.token", b.token); return loadConfig().then(renderForm).then(sync); }
          flash(b.message || T.bad_token, false);
        });
    });
    $("log-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var s = collect();
      if (s.errors.length) { flash(s.errors.join(" "), false); return; }
      queuePut({ client_id: s.payload.client_id, payload: s.payload, label: s.label, queued_at: Date.now() })
        .then(function () {
          flash(T.queued, true);
          $("households").value = ""; $("people").value = ""; $("note").value = "";
          Array.prototype.forEach.call(document.querySelectorAll(".topic.on input[type=checkbox]"), function (c) { c.click(); });
          return renderStatus();
        })
        .then(sync);
    });
    $("clear-rejected").addEventListener("click", function () {
      store.removeItem("dxday.rejected");
      renderRejected();
    });
    $("forget").addEventListener("click", function () {
      store.removeItem("dxday.token");
      store.removeItem("dxday.config");
      renderForm(null);
    });
    window.addEventListener("online", function () { backoff = 0; renderStatus(); sync(); });
    window.addEventListener("offline", renderStatus);
    setInterval(function () { if (!retryTimer || backoff === 0) sync(); }, 30000);
    renderForm(config());
    renderRejected();
    loadConfig().then(renderForm).then(renderStatus).then(sync);
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
  openDb().then(function (d) { db = d; init(); });
})();
