{% load static %}/* dxday check-in app service worker — caches the app shell ({{ version }}).
 *
 * The shell page is network-first with a timeout: a fresh page when the network answers within
 * SLOW_MS, else the cached shell (the network answer still refreshes the cache when it comes).
 * Only a good answer (200, same-origin, not redirected) ever becomes the cached shell; a 5xx from
 * the balancer is answered with the last good shell instead. The other shell files are
 * cache-first. The API is never touched here: the page queues its writes itself.
 */
var CACHE = "dxday-checkin-{{ version }}";
var SHELL_URL = "{% url 'learning:checkin' %}";
var SHELL = [SHELL_URL, "{% static 'learning/checkin.css' %}", "{% static 'learning/checkin.js' %}",
             "{% url 'learning:checkin_manifest' %}", "{% url 'learning:checkin_icon' %}",
             "{% static 'learning/vendor/jsqr-1.4.0/jsQR.js' %}"];
var SLOW_MS = 3500;

function good(resp) {
  return !!resp && resp.status === 200 && resp.type === "basic" && !resp.redirected;
}
function cachedShell() {
  return caches.open(CACHE).then(function (c) { return c.match(SHELL_URL); });
}

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return Promise.all(SHELL.map(function (url) {
      return fetch(url, { cache: "no-cache" }).then(function (resp) {
        if (!good(resp)) throw new Error("dxday: not caching " + url + " (" + resp.status + ")");
        return c.put(url, resp);
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("dxday-checkin-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function shell(e) {
  var network = fetch(e.request).then(function (resp) {
    if (!good(resp)) return resp;
    var copy = resp.clone();
    return caches.open(CACHE).then(function (c) { return c.put(SHELL_URL, copy); })
      .then(function () { return resp; }, function () { return resp; });
  });
  e.waitUntil(network.catch(function () {}));  // a late answer still refreshes the cache
  var answer = network.then(function (resp) {
    if (resp.status < 500) return resp;
    return cachedShell().then(function (hit) { return hit || resp; });
  }, function () {
    return cachedShell().then(function (hit) { return hit || Response.error(); });
  });
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS); })
    .then(cachedShell)
    .then(function (hit) { return hit || answer; });
  return Promise.race([answer, slow]);
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET" || req.url.indexOf("/api/") !== -1) return;
  var url = new URL(req.url);
  if (req.mode === "navigate") {
    if (url.origin === self.location.origin && url.pathname === SHELL_URL) e.respondWith(shell(e));
    return;  // anything else in scope (the manifest, the token exchange...) goes to the network
  }
  e.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
});
