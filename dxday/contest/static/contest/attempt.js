/* The participant's attempt page: start, answer (autosaved, queued in localStorage while the
 * network is down and resent), a display-only timer, submit. No framework, no CDN. */
(function () {
  "use strict";
  var root = document.getElementById("attempt-app");
  if (!root) return;
  var T = JSON.parse(document.getElementById("contest-texts").textContent);
  var api = root.dataset.api, token = root.dataset.token, roundId = root.dataset.round;
  var KEY = "contest-queue-" + roundId;
  var $ = function (id) { return document.getElementById(id); };
  var attempt = null, deadline = 0, offset = 0, inflight = false, finished = false, retry = null;
  var queue = load();

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function store() {
    try { localStorage.setItem(KEY, JSON.stringify(queue)); } catch (e) { /* full: keep in memory */ }
  }
  function msg(text, kind) {
    var m = $("msg");
    m.textContent = text; m.className = "msg" + (kind ? " " + kind : ""); m.hidden = !text;
  }
  function net(text, off) {
    var n = $("net"); n.textContent = text; n.className = "net" + (off ? " off" : "");
  }
  function call(method, path, body) {
    return fetch(api + path, {
      method: method,
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store"
    }).then(function (r) {
      var date = Date.parse(r.headers.get("Date") || "");
      if (!isNaN(date)) offset = date - Date.now();
      return r.json().catch(function () { return {}; }).then(function (b) {
        return { status: r.status, body: b };
      });
    });
  }
  function pendingCount() { return Object.keys(queue.answers || {}).length; }
  function showPending() {
    var n = pendingCount();
    if (!navigator.onLine || queue.offline) net(T.offline.replace("%(n)s", n), true);
    else net(n ? T.pending.replace("%(n)s", n) : T.saved, false);
  }

  function render(questions) {
    var box = $("questions"); box.textContent = "";
    questions.forEach(function (q, i) {
      var sec = document.createElement("section");
      sec.className = "card q"; sec.id = "q-" + q.id; sec.dataset.q = q.id;
      var h = document.createElement("h2");
      h.textContent = (i + 1) + ". " + q.text; sec.appendChild(h);
      var hint = document.createElement("p"); hint.className = "muted"; hint.textContent = T.pick;
      sec.appendChild(hint);
      var opts = document.createElement("div"); opts.className = "opts";
      var chosen = (queue.answers && queue.answers[q.id]) || (queue.sent && queue.sent[q.id]) || [];
      q.options.forEach(function (o) {
        var lab = document.createElement("label");
        var inp = document.createElement("input");
        inp.type = "checkbox"; inp.value = o.id; inp.name = "q" + q.id;
        inp.checked = chosen.indexOf(o.id) >= 0;
        inp.addEventListener("change", function () { changed(q.id); });
        var span = document.createElement("span"); span.textContent = o.text;
        lab.appendChild(inp); lab.appendChild(span); opts.appendChild(lab);
      });
      sec.appendChild(opts);
      var st = document.createElement("p"); st.className = "state"; st.id = "state-" + q.id;
      st.textContent = queue.answers && queue.answers[q.id] ? T.q_pending : (chosen.length ? T.q_saved : "");
      if (queue.answers && queue.answers[q.id]) st.className = "state pending";
      sec.appendChild(st);
      box.appendChild(sec);
    });
    if (queue.prediction != null) $("prediction").value = queue.prediction;
  }

  function changed(qid) {
    if (finished) return;
    var picked = [];
    document.querySelectorAll('input[name="q' + qid + '"]:checked').forEach(function (i) {
      picked.push(parseInt(i.value, 10));
    });
    queue.answers = queue.answers || {};
    queue.answers[qid] = picked;
    store();
    var st = $("state-" + qid); st.textContent = T.q_pending; st.className = "state pending";
    flush();
  }

  function flush() {
    if (inflight || finished || !attempt) return Promise.resolve();
    var answers = queue.answers || {};
    var ids = Object.keys(answers);
    var pred = queue.predictionDirty ? queue.prediction : null;
    if (!ids.length && pred == null) { showPending(); return Promise.resolve(); }
    var sent = {}; ids.forEach(function (k) { sent[k] = answers[k].slice(); });
    var body = { answers: ids.map(function (k) { return { question: +k, options: sent[k] }; }) };
    if (pred != null) body.prediction = pred;
    inflight = true;
    return call("PUT", "attempts/" + attempt + "/answers", body).then(function (r) {
      inflight = false; queue.offline = false;
      if (r.status === 200) {
        queue.sent = queue.sent || {};
        ids.forEach(function (k) {
          queue.sent[k] = sent[k];
          if (JSON.stringify(queue.answers[k]) === JSON.stringify(sent[k])) {
            delete queue.answers[k];
            var st = $("state-" + k); if (st) { st.textContent = T.q_saved; st.className = "state saved"; }
          }
        });
        if (pred != null && queue.prediction === pred) queue.predictionDirty = false;
        store(); showPending();
        if (pendingCount()) return flush();
      } else if (r.status === 409 && r.body.code === "time_over") {
        over(r.body.message);
      } else if (r.status === 429) {
        later(5000);
      } else {
        msg(r.body.message || T.error, "error");
      }
    }, function () {
      inflight = false; queue.offline = true; store(); showPending(); later(3000);
    });
  }
  function later(ms) { clearTimeout(retry); retry = setTimeout(flush, ms); }

  function tick() {
    if (finished || !deadline) return;
    var left = Math.max(0, deadline - (Date.now() + offset));
    var s = Math.floor(left / 1000);
    var t = $("timer");
    t.textContent = String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
    t.className = "timer" + (s < 60 ? " low" : "");
    if (left <= 0) submit(true);
  }

  function over(text) {
    msg(text || T.time_over, "error");
    submit(true);
  }

  function submit(auto) {
    if (finished) return;
    finished = true;
    document.querySelectorAll("#quiz input").forEach(function (i) { i.disabled = true; });
    $("submit").disabled = true;
    var answers = queue.answers || {};
    var body = { answers: Object.keys(answers).map(function (k) { return { question: +k, options: answers[k] }; }) };
    if (queue.predictionDirty && queue.prediction != null) body.prediction = queue.prediction;
    var send = function () {
      return call("POST", "attempts/" + attempt + "/submit", body).then(function (r) {
        if (r.status === 200) return done(r.body);
        if (r.status === 409 && r.body.code === "time_over") {
          msg(r.body.message, "error");
          body = {};  // the attempt is closed at its deadline with what was saved in time
          return send();
        }
        msg(r.body.message || T.error, "error");
      }, function () {
        msg(T.submit_offline, "error"); setTimeout(send, 3000);
      });
    };
    if (auto) msg(T.time_over, "error");
    return send();
  }

  function done(result) {
    localStorage.removeItem(KEY); queue = {};
    $("quiz").hidden = true; $("bar").hidden = true;
    $("done").hidden = false;
    $("score").textContent = result.score + " " + T.points;
    $("taken").textContent = T.taken.replace("%(s)s", result.time_taken_s);
    $("result-link").href = root.dataset.resultUrl.replace("/0/", "/" + attempt + "/");
  }

  $("start").addEventListener("click", function () {
    $("start").disabled = true;
    call("POST", "rounds/" + roundId + "/attempts").then(function (r) {
      if (r.status !== 200 && r.status !== 201) {
        $("start").disabled = false; msg(r.body.message || T.error, "error"); return;
      }
      if (queue.attempt !== r.body.attempt) queue = { attempt: r.body.attempt, answers: {} };
      attempt = r.body.attempt; deadline = Date.parse(r.body.deadline);
      store();
      $("intro").hidden = true; $("quiz").hidden = false; $("bar").hidden = false;
      render(r.body.questions); showPending(); tick(); setInterval(tick, 250);
      flush();
    }, function () { $("start").disabled = false; msg(T.offline_start, "error"); });
  });
  $("prediction").addEventListener("change", function () {
    var v = parseInt($("prediction").value, 10);
    if (isNaN(v) || v < 0) return;
    queue.prediction = v; queue.predictionDirty = true; store(); flush();
  });
  $("submit").addEventListener("click", function () {
    if (window.confirm(T.confirm)) flush().then(function () { submit(false); });
  });
  window.addEventListener("online", function () { queue.offline = false; flush(); });
  window.addEventListener("offline", function () { showPending(); });
  setInterval(function () { if (pendingCount()) flush(); }, 5000);
})();
