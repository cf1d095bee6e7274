/* dxday field app: log guidance sessions offline, sync them when the network returns.
 *
 * Sessions wait in IndexedDB ("queue"), each with a client-generated UUID (the idempotency key),
 * and are sent in batches to POST /api/v1/outreach/sessions/batch. The server counts each
 * client_id once, so a batch whose answer was lost is simply sent again.
 *
 * Failure rules (docs/architecture.md, "Field app sync"):
 * - network error, 5xx, 404, 408: retry later with exponential backoff (2 s doubling, capped at
 *   5 min, with jitter); 429 waits at least its Retry-After. The sessions of a failed batch are
 *   tried after the others next time, and the next batch is half as large, so one batch (even
 *   one session that makes the server fail every time) cannot hold the queue.
 * - another 4xx for the whole batch (400, 413, 422...): split it in halves until single sessions;
 *   a session refused alone is set aside in "Cần sửa" with the server's message, the rest go on.
 * - sessions in the answer's `rejected` list are also set aside in "Cần sửa" ("fix" store) with
 *   their content, so the member can correct one and resend it under a NEW client_id, or drop it.
 */
(function () {
  "use strict";
  var root = document.getElementById("field-app");
  var API = root.dataset.api;
  var BATCH = 500;
  var RETRY_BASE = 2;  // seconds before the first retry (then 4, 8, ... with jitter)
  var RETRY_CAP = 300;
  var T = JSON.parse(document.getElementById("field-i18n").textContent);
  var X = document.getElementById("field-texts").dataset;
  var store = window.localStorage;
  var db = null;
  var syncing = false;
  var failures = 0;  // failed attempts since the last progress, for the backoff
  var size = BATCH;  // halves after each failed attempt, doubles back after each answer
  var retryTimer = null;
  var editing = null;  // the "fix" entry being corrected in the form

  function $(id) { return document.getElementById(id); }
  function token() { return store.getItem("dxday.token") || ""; }
  function deviceId() {
    var id = store.getItem("dxday.device");
    if (!id) {
      var bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      id = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
      store.setItem("dxday.device", id);
    }
    return id;
  }
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
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  }
  function flash(text, ok) {
    var m = $("form-msg");
    m.textContent = text;
    m.className = "msg " + (ok ? "ok" : "err");
    m.hidden = false;
  }

  /* --- IndexedDB: "queue" (waiting to be sent) and "fix" (refused by the server) ---------- */
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("dxday-field", 2);
      req.onupgradeneeded = function () {
        var d = req.result;
        if (!d.objectStoreNames.contains("queue")) d.createObjectStore("queue", { keyPath: "client_id" });
        if (!d.objectStoreNames.contains("fix")) d.createObjectStore("fix", { keyPath: "client_id" });
      };
      req.onsuccess = function () {
        req.result.onversionchange = function () { req.result.close(); };  // never block a newer tab
        resolve(req.result);
      };
      req.onerror = function () { reject(req.error); };
    });
  }
  /* One transaction over `names`; fn gets {name: objectStore}; resolves with fn's request result. */
  function tx(names, mode, fn) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(names, mode);
      var stores = {};
      names.forEach(function (n) { stores[n] = t.objectStore(n); });
      var out = fn(stores);
      t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
      t.onerror = function () { reject(t.error); };
      t.onabort = function () { reject(t.error); };
    });
  }
  function all(name) { return tx([name], "readonly", function (s) { return s[name].getAll(); }); }

  /* --- Status line (always visible) ------------------------------------------------------ */
  function renderStatus() {
    var online = navigator.onLine;
    document.body.classList.toggle("offline", !online);
    $("net").textContent = online ? T.online : T.offline;
    var last = store.getItem("dxday.lastSync");
    $("last-sync").textContent = last ? fmt(new Date(last)) : T.never;
    return all("queue").then(function (items) { $("queue-size").textContent = items.length; });
  }
  function syncNote(text) {
    var n = $("sync-note");
    n.textContent = text || "";
    n.hidden = !text;
  }

  /* --- "Cần sửa": sessions the server refused, kept with their content -------------------- */
  var topicNames = {};
  var memberNames = {};

  function summary(p) {
    var parts = [fill(X.fixSummary, { households: p.households_visited, people: p.people_guided })];
    var names = (p.topics || []).map(function (t) { return topicNames[t.topic] || t.topic; });
    if (names.length) parts.push(names.join(", "));
    if (memberNames[p.member]) parts.push(memberNames[p.member]);
    return parts.join(" · ");
  }
  function errorList(ul, errors) {
    ul.textContent = "";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.message;
      ul.appendChild(li);
    });
  }
  function renderFix() {
    return all("fix").then(function (items) {
      items.sort(function (a, b) { return a.rejected_at - b.rejected_at; });
      var ul = $("fix-list");
      ul.textContent = "";
      items.forEach(function (item) {
        var li = $("fix-item").content.firstElementChild.cloneNode(true);
        li.dataset.clientId = item.client_id;
        li.querySelector(".fix-when").textContent = item.label;
        li.querySelector(".fix-what").textContent = summary(item.payload);
        errorList(li.querySelector(".fix-errors"), item.errors);
        var confirmBox = li.querySelector(".fix-confirm");
        li.querySelector(".fix-edit").addEventListener("click", function () { editStart(item); });
        li.querySelector(".fix-drop").addEventListener("click", function () {
          confirmBox.hidden = false;
          li.querySelector(".fix-drop-no").focus();
        });
        li.querySelector(".fix-drop-no").addEventListener("click", function () { confirmBox.hidden = true; });
        li.querySelector(".fix-drop-yes").addEventListener("click", function () {
          tx(["fix"], "readwrite", function (s) { s.fix.delete(item.client_id); }).then(function () {
            if (editing && editing.client_id === item.client_id) editStop();
            flash(X.dropped, true);
            return renderFix();
          });
        });
        ul.appendChild(li);
      });
      $("fix").hidden = items.length === 0;
      $("fix-count").hidden = items.length === 0;
      $("fix-size").textContent = items.length;
    });
  }

  /* Normalise the server's errors: [{field, code, message}], field without the "sessions.N." of
   * a whole-request validation error, whose short messages ("Phải là số nguyên.") also get the
   * field's label in front. */
  function errorsOf(body, status, whole) {
    var errors = body && Array.isArray(body.errors) ? body.errors : [];
    errors = errors.filter(function (e) { return e && e.message; }).map(function (e) {
      var field = e.field ? String(e.field).replace(/^(?:\w+\.)*?sessions\.\d+\./, "") : null;
      var label = whole && field ? fieldLabel(field) : "";
      return { field: field, code: e.code || e.type || "", message: (label ? label + ": " : "") + e.message };
    });
    if (!errors.length) {
      var message = body && body.message ? body.message : fill(X.fixStatus, { status: status });
      errors = [{ field: null, code: (body && body.code) || "", message: message }];
    }
    return errors;
  }
  function fixEntry(item, errors, status) {
    return {
      client_id: item.client_id, payload: item.payload, label: item.label,
      queued_at: item.queued_at, errors: errors, status: status, rejected_at: Date.now(),
    };
  }

  /* --- Sync -------------------------------------------------------------------------------- */
  function backoff(n) {
    var delay = Math.min(RETRY_CAP, RETRY_BASE * Math.pow(2, n - 1));
    return Math.round(delay / 2 + Math.random() * delay / 2);  // jitter: phones do not retry in step
  }
  function schedule(seconds) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { retryTimer = null; sync(); }, seconds * 1000);
  }

  /* POST one batch. Resolves {ok: true, body} (200 with a JSON answer) or {ok: false, status,
   * body} (a 4xx about the content); rejects {auth} (401/403), {retryAfter} (429) or {status}
   * / a TypeError (network, 5xx, a lost route): those are retried later. */
  function post(batch) {
    return fetch(API + "sessions/batch", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token() },
      body: JSON.stringify({ sessions: batch.map(function (i) { return i.payload; }) }),
    }).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (body) {
        var s = resp.status;
        if (s === 200 && body && typeof body.accepted === "number") return { ok: true, body: body };
        if (s === 401 || s === 403) throw { auth: true, message: s === 401 ? T.bad_token : (body && body.message) || X.auth };
        if (s === 429) throw { retryAfter: parseInt(resp.headers.get("Retry-After") || "30", 10) || 30 };
        if (s >= 400 && s < 500 && s !== 404 && s !== 408) return { ok: false, status: s, body: body };
        throw { status: s };  // 5xx, a 404/408 from a proxy, or a 200 that is not our answer
      });
    });
  }

  /* Send a batch; on a whole-batch 4xx split it, and set aside a session refused alone. */
  function send(batch) {
    return post(batch).then(function (r) {
      if (r.ok) return settle(batch, r.body);
      if (batch.length > 1) {
        var mid = Math.ceil(batch.length / 2);
        return send(batch.slice(0, mid)).then(function () { return send(batch.slice(mid)); });
      }
      var entry = fixEntry(batch[0], errorsOf(r.body, r.status, true), r.status);
      return tx(["queue", "fix"], "readwrite", function (s) {
        s.queue.delete(entry.client_id);
        s.fix.put(entry);
      }).then(renderFix);
    }, function (e) {
      // Not sent: these sessions go after the others next time, so they cannot block the queue.
      size = Math.max(1, Math.ceil(batch.length / 2));
      var again = function () { throw e; };
      return tx(["queue"], "readwrite", function (s) {
        batch.forEach(function (i) { i.attempts = (i.attempts || 0) + 1; s.queue.put(i); });
      }).then(again, again);
    });
  }

  /* The server has decided on every session of the batch: accepted and duplicates leave the
   * queue, rejected ones move to "Cần sửa" with their content and the server's reasons. */
  function settle(batch, result) {
    var byId = {};
    batch.forEach(function (i) { byId[i.client_id] = i; });
    var fixes = (result.rejected || []).map(function (r) {
      var item = byId[r.client_id] || batch[r.index];
      return item ? fixEntry(item, errorsOf(r, 200, false), 200) : null;
    }).filter(Boolean);
    return tx(["queue", "fix"], "readwrite", function (s) {
      batch.forEach(function (i) { s.queue.delete(i.client_id); });
      fixes.forEach(function (f) { s.fix.put(f); });
    }).then(function () {
      failures = 0;  // the server answers: the next failure waits the shortest time again
      size = Math.min(BATCH, size * 2);
      store.setItem("dxday.lastSync", new Date().toISOString());
      if (fixes.length) return renderFix();
    });
  }

  function drain() {
    return all("queue").then(function (items) {
      if (!items.length) return;
      items.sort(function (a, b) { return (a.attempts || 0) - (b.attempts || 0) || a.queued_at - b.queued_at; });
      return send(items.slice(0, size)).then(drain);
    });
  }

  function sync() {
    if (syncing || !token() || !navigator.onLine) return renderStatus();
    syncing = true;
    clearTimeout(retryTimer);
    retryTimer = null;
    return drain().then(function () {
      failures = 0;
      size = BATCH;
      syncNote("");
    }, function (e) {
      if (e && e.auth) {
        syncNote("");
        flash(e.message, false);
        if (e.message === T.bad_token) $("setup").hidden = false;
        return;
      }
      failures += 1;
      var wait = backoff(failures);
      if (e && e.retryAfter) wait = Math.max(wait, e.retryAfter);
      syncNote(fill(X.retry, { s: wait }));
      schedule(wait);
    }).then(function () {
      syncing = false;
      return renderStatus();
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
    if (!c.member) {
      // Nobody to default to: the member chooses; the first name is never taken silently.
      var none = document.createElement("option");
      none.value = "";
      none.textContent = T.member_choose;
      none.selected = true;
      sel.appendChild(none);
    }
    c.members.forEach(function (m) {
      memberNames[m.id] = m.name;
      var o = document.createElement("option");
      o.value = m.id;
      o.textContent = m.name + " (" + m.role + ")";
      if (m.id === c.member) o.selected = true;
      sel.appendChild(o);
    });
    var box = $("topics");
    box.textContent = "";
    c.topics.forEach(function (t) {
      topicNames[t.code] = t.name;
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
    if (editing) showEditing();  // the config came back while the member was correcting
    else $("occurred").value = localInput(new Date());
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
    if (!$("member").value) errors.push(T.member_required);
    return {
      errors: errors,
      payload: {
        client_id: uuid(),  // always new: a corrected session is a new session for the server
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

  /* --- Correcting a refused session in the main form ------------------------------------- */
  var FIELD_INPUTS = { occurred_at: "occurred", households_visited: "households", people_guided: "people", member: "member", note: "note" };

  function clearForm() {
    $("households").value = ""; $("people").value = ""; $("note").value = "";
    Array.prototype.forEach.call(document.querySelectorAll(".topic.on input[type=checkbox]"), function (c) { c.click(); });
    Array.prototype.forEach.call(document.querySelectorAll(".topic"), function (d) {
      d.querySelector(".tp").value = ""; d.querySelector(".to").value = "0";
    });
    Array.prototype.forEach.call(document.querySelectorAll("#log-form [aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
  }
  function fillForm(p) {
    clearForm();
    if (p.member && $("member").querySelector('option[value="' + p.member + '"]')) $("member").value = String(p.member);
    var when = p.occurred_at ? new Date(p.occurred_at) : null;
    $("occurred").value = when && !isNaN(when.getTime()) ? localInput(when) : "";
    $("households").value = p.households_visited === undefined || p.households_visited === null ? "" : p.households_visited;
    $("people").value = p.people_guided === undefined || p.people_guided === null ? "" : p.people_guided;
    $("note").value = p.note || "";
    (p.topics || []).forEach(function (t) {
      var d = document.querySelector('.topic[data-code="' + String(t.topic).replace(/"/g, "") + '"]');
      if (!d) return;
      d.querySelector("input[type=checkbox]").click();
      d.querySelector(".tp").value = t.people_guided;
      d.querySelector(".to").value = t.outcome;
    });
  }
  function fieldInput(field) {
    var key = String(field).split(".")[0];
    return key === "topics" ? $("topics").querySelector("input") : $(FIELD_INPUTS[key] || "");
  }
  function fieldLabel(field) {
    var key = String(field).split(".")[0];
    var el = key === "topics" ? document.querySelector("#log-form legend")
      : FIELD_INPUTS[key] ? document.querySelector('label[for="' + FIELD_INPUTS[key] + '"]') : null;
    return el ? el.textContent.trim() : "";
  }
  /* Put the session being corrected in the form, its refused fields marked; the first of them. */
  function showEditing() {
    var first = null;
    fillForm(editing.payload);
    editing.errors.forEach(function (e) {
      var el = e.field ? fieldInput(e.field) : null;
      if (el) { el.setAttribute("aria-invalid", "true"); first = first || el; }
    });
    return first;
  }
  function editStart(item) {
    editing = item;
    var first = showEditing();
    $("edit-when").textContent = fill(X.fixEditing, { when: item.label });
    errorList($("edit-errors"), item.errors);
    $("edit-banner").hidden = false;
    $("edit-cancel").hidden = false;
    $("submit").textContent = X.resend;
    $("form-msg").hidden = true;
    $("log").scrollIntoView();
    (first || $("households")).focus();
  }
  function editStop() {
    editing = null;
    clearForm();
    $("edit-banner").hidden = true;
    $("edit-cancel").hidden = true;
    $("submit").textContent = X.save;
    $("occurred").value = localInput(new Date());
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
    store.removeItem("dxday.rejected");  // the old list kept only the reasons, not the sessions
    $("save-token").addEventListener("click", function () {
      var v = $("token").value.trim();
      if (!v) return;
      store.setItem("dxday.token", v);
      loadConfig().then(renderForm).then(sync);
    });
    var ex = $("exchange");
    if (ex) ex.addEventListener("click", function () {
      // The phone's own id names its token, so signing in again rotates that token instead of
      // adding another one (outreach.services.token_issue_for_self).
      fetch(ex.dataset.url, { method: "POST", headers: { "X-CSRFToken": ex.dataset.csrf }, credentials: "same-origin", body: new URLSearchParams({ device: deviceId() }) })
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
      var item = { client_id: s.payload.client_id, payload: s.payload, label: s.label, queued_at: Date.now(), attempts: 0 };
      var fixed = editing;
      if (fixed) item.replaces = fixed.client_id;
      tx(["queue", "fix"], "readwrite", function (st) {
        st.queue.put(item);
        if (fixed) st.fix.delete(fixed.client_id);  // one transaction: never both, never neither
      }).then(function () {
        if (fixed) editStop(); else clearForm();
        flash(fixed ? X.resent : T.queued, true);
        return Promise.all([renderStatus(), renderFix()]);
      }).then(sync);
    });
    $("edit-cancel").addEventListener("click", function () { editStop(); $("fix").scrollIntoView(); });
    $("forget").addEventListener("click", function () {
      store.removeItem("dxday.token");
      store.removeItem("dxday.config");
      renderForm(null);
    });
    window.addEventListener("online", function () { failures = 0; renderStatus(); sync(); });
    window.addEventListener("offline", renderStatus);
    setInterval(function () { if (!retryTimer) sync(); }, 30000);
    renderForm(config());
    renderFix();
    loadConfig().then(renderForm).then(renderFix).then(renderStatus).then(sync);
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
  openDb().then(function (d) { db = d; init(); });
})();
