/* The maps (ADR 0021): browse public reports, or pick the place on the submit form.
   An enhancement only: without JavaScript the map stays hidden, the public list and the
   coordinate fields work as before. Leaflet (the registry package django-js-lib-leaflet,
   served from this site) is loaded only when a map is shown. Tiles come from the tile server
   the operator set (data-tiles), and from nowhere else; without one the map draws a base that
   needs no network: degree lines and the names of the kabupaten/kota that have reports.
   Every text comes translated from the map element's data attributes, and report titles are
   set as text, never as HTML. */
(function () {
  "use strict";
  var INDONESIA = [[-11.5, 94.0], [6.5, 141.5]];

  function loadLeaflet(el, done) {
    if (window.L) { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = el.dataset.leafletCss;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = el.dataset.leafletJs;
    script.onload = done;
    document.head.appendChild(script);
  }

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function makeMap(el) {
    var map = L.map(el, { zoomSnap: 0.5, attributionControl: true });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, {
        maxZoom: 19,
        attribution: escapeText(el.dataset.attribution)
      }).addTo(map);
    } else {
      el.classList.add("map-offline");
      map.attributionControl.addAttribution(escapeText(el.dataset.noTiles));
      graticule(map);
    }
    map.fitBounds(INDONESIA);
    return map;
  }

  /* Degree lines, denser as one zooms in: where one is on the map without any tiles. */
  function graticule(map) {
    var layer = L.layerGroup().addTo(map);
    function draw() {
      layer.clearLayers();
      var z = map.getZoom();
      var step = z < 6 ? 5 : z < 9 ? 1 : z < 12 ? 0.1 : 0.01;
      var b = map.getBounds().pad(0.5);
      var south = Math.max(-85, Math.floor(b.getSouth() / step) * step);
      var north = Math.min(85, b.getNorth());
      var west = Math.floor(b.getWest() / step) * step;
      var east = b.getEast();
      var n = 0;
      for (var lat = south; lat <= north && n < 200; lat += step, n++) {
        L.polyline([[lat, b.getWest()], [lat, east]], { className: "map-grid", interactive: false }).addTo(layer);
      }
      for (var lon = west; lon <= east && n < 400; lon += step, n++) {
        L.polyline([[south, lon], [north, lon]], { className: "map-grid", interactive: false }).addTo(layer);
      }
    }
    map.on("zoomend moveend", draw);
    map.whenReady(draw);
  }

  function regionLabels(map) {
    var layer = L.layerGroup().addTo(map);
    return function (regions) {
      layer.clearLayers();
      regions.forEach(function (r) {
        L.marker([r.lat, r.lon], {
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: "map-label", html: escapeText(r.name), iconSize: null })
        }).addTo(layer);
      });
    };
  }

  function fetchData(el, bbox, done, failed) {
    var url = el.dataset.dataUrl;
    if (bbox) url += (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + bbox;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(done)
      .catch(failed);
  }

  function boxOf(map) {
    var b = map.getBounds();
    function c(v, lo, hi) { return Math.max(lo, Math.min(hi, v)).toFixed(3); }
    return [c(b.getWest(), -180, 179.99), c(b.getSouth(), -90, 89.99),
            c(b.getEast(), -179.99, 180), c(b.getNorth(), -89.99, 90)].join(",");
  }

  function popup(pin, el) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = pin.url;
    link.textContent = pin.title;
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = pin.id + " · " + pin.status;
    box.appendChild(link);
    box.appendChild(meta);
    return box;
  }

  function browse(el) {
    var status = document.getElementById(el.id + "-status");
    var map = makeMap(el);
    var pins = L.layerGroup().addTo(map);
    var labels = el.dataset.tiles ? null : regionLabels(map);
    var timer = null;
    var first = true;
    function show(data) {
      pins.clearLayers();
      data.pins.forEach(function (pin) {
        L.circleMarker([pin.lat, pin.lon], { radius: 7, className: "map-pin" })
          .bindPopup(popup(pin, el))
          .addTo(pins);
      });
      if (labels) labels(data.regions);
      var text = data.pins.length ? data.pins.length + " " + el.dataset.count : el.dataset.none;
      if (data.truncated) text += " " + el.dataset.more;
      status.textContent = text;
      el.dataset.loaded = String(data.pins.length);
      if (first && data.pins.length) {
        map.fitBounds(data.pins.map(function (p) { return [p.lat, p.lon]; }), { maxZoom: 14, padding: [24, 24] });
      }
      first = false;
    }
    function load() {
      status.textContent = el.dataset.loading;
      fetchData(el, first ? "" : boxOf(map), show, function () { status.textContent = el.dataset.failed; });
    }
    map.on("moveend", function () {
      if (first) return;
      clearTimeout(timer);
      timer = setTimeout(load, 300);
    });
    load();
  }

  function pick(el) {
    var open = document.querySelector("[data-map-pick-open]");
    var status = document.getElementById(el.id + "-status");
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!open || !lat || !lon) return;
    open.hidden = false;
    var map = null;
    var marker = null;
    function place(latlng, fill) {
      if (!marker) marker = L.circleMarker(latlng, { radius: 9, className: "map-pin map-picked" }).addTo(map);
      marker.setLatLng(latlng);
      if (fill) {
        lat.value = latlng.lat.toFixed(6);
        lon.value = latlng.lng.toFixed(6);
      }
      status.textContent = status.dataset.picked + " " + lat.value + ", " + lon.value;
    }
    function fromFields() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (map && isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        place(L.latLng(a, b), false);
        map.setView([a, b], Math.max(map.getZoom(), 14));
      }
    }
    open.addEventListener("click", function () {
      if (map) { el.hidden = !el.hidden; if (!el.hidden) map.invalidateSize(); return; }
      open.disabled = true;
      loadLeaflet(el, function () {
        el.hidden = false;
        open.disabled = false;
        map = makeMap(el);
        status.textContent = status.dataset.hint;
        if (!el.dataset.tiles) {
          var labels = regionLabels(map);
          fetchData(el, "", function (data) {
            labels(data.regions);
            // Nothing picked yet: start at the chosen kabupaten/kota when it has a label.
            var region = document.getElementById("id_region");
            var here = data.regions.filter(function (r) { return region && r.code === region.value; })[0];
            if (here && !marker) map.setView([here.lat, here.lon], 11);
          }, function () {});
        }
        map.on("click", function (e) { place(e.latlng, true); });
        fromFields();
      });
    });
    lat.addEventListener("change", fromFields);
    lon.addEventListener("change", fromFields);
    var located = document.getElementById("lokasi-status");  // "Gunakan lokasi saya" filled them
    if (located && window.MutationObserver) {
      new MutationObserver(fromFields).observe(located, { childList: true, characterData: true, subtree: true });
    }
  }

  document.querySelectorAll("[data-map]").forEach(function (el) {
    if (el.dataset.map === "browse") {
      el.hidden = false;
      loadLeaflet(el, function () { browse(el); });
    } else if (el.dataset.map === "pick") {
      pick(el);
    }
  });
})();
