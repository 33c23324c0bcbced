/* LAPOR!: keep this receipt on this device for offline use, only when the reporter asks.
   The copy (portal/receipt_copy.html, fetched from this browser's own session) goes into the
   Cache Storage under this page's address; receipt-sw.js serves it when the network is gone.
   "Hapus salinan" deletes it and the service worker. No third-party code. */
(function () {
  "use strict";
  var box = document.getElementById("offline");
  if (!box || !("serviceWorker" in navigator) || !("caches" in window)) return;
  var keep = document.getElementById("offline-keep");
  var forget = document.getElementById("offline-forget");
  var status = document.getElementById("offline-status");
  var scope = new URL(box.getAttribute("data-scope"), location.href).href;
  var name = "lapor-bukti:" + scope;

  function show(kept) {
    keep.hidden = kept;
    forget.hidden = !kept;
  }

  function say(key) {
    status.textContent = box.getAttribute("data-" + key);
  }

  function active(registration) {
    var worker = registration.installing || registration.waiting || registration.active;
    if (!worker || worker.state === "activated") return Promise.resolve(registration);
    return new Promise(function (resolve) {
      worker.addEventListener("statechange", function () {
        if (worker.state === "activated") resolve(registration);
      });
    });
  }

  function store() {
    var assets = box.getAttribute("data-assets").split(" ");
    return fetch(box.getAttribute("data-copy"), { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) {
        if (!answer.ok) throw new Error("copy " + answer.status);
        return caches.open(name).then(function (cache) {
          return cache.put(scope, answer).then(function () {
            return cache.addAll(assets);
          });
        });
      });
  }

  box.hidden = false;
  caches.has(name).then(show);
  keep.addEventListener("click", function () {
    keep.disabled = true;
    navigator.serviceWorker
      .register(box.getAttribute("data-worker"), { scope: scope })
      .then(active)
      .then(store)
      .then(function () { show(true); say("kept"); },
            function () { caches.delete(name); say("failed"); })
      .then(function () { keep.disabled = false; });
  });
  forget.addEventListener("click", function () {
    caches.delete(name)
      .then(function () { return navigator.serviceWorker.getRegistration(scope); })
      .then(function (registration) { return registration && registration.unregister(); })
      .then(function () { show(false); say("forgotten"); });
  });
})();
