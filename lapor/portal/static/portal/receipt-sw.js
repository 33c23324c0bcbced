/* LAPOR!: the service worker of one receipt page (its scope is that page; registered by
   receipt.js only when the reporter asks to keep the receipt). Everything goes to the network
   first; only when the network fails does it answer from the copy the reporter kept. */
"use strict";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  event.respondWith(
    fetch(request).catch(function () {
      var scope = self.registration.scope;
      var key = request.mode === "navigate" ? scope : request.url;
      // match with a cacheName never creates the cache (a forgotten copy stays forgotten)
      return caches.match(key, { cacheName: "lapor-bukti:" + scope }).then(function (kept) {
        return kept || Response.error();
      });
    })
  );
});
