{% load static %}/* dxday field app service worker — caches the app shell ({{ version }}). */
var CACHE = "dxday-field-{{ version }}";
var SHELL = ["{% url 'outreach:field' %}", "{% static 'outreach/field.css' %}", "{% static 'outreach/field.js' %}",
             "{% url 'outreach:field_manifest' %}", "{% url 'outreach:field_icon' %}"];
self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("dxday-field-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET" || req.url.indexOf("/api/") !== -1) return;  // the page queues writes itself
  if (req.mode === "navigate") {
    // Network first (a fresh page when online), the cached shell when offline.
    e.respondWith(fetch(req).then(function (resp) {
      var copy = resp.clone();
      caches.open(CACHE).then(function (c) { c.put("{% url 'outreach:field' %}", copy); });
      return resp;
    }).catch(function () { return caches.match("{% url 'outreach:field' %}"); }));
    return;
  }
  e.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
});
