/* Linli maps on vendored Leaflet, without internet: the installation's community boundaries (GeoJSON) on a plain
   background, a tile layer only when the installation configured one (data-tiles on the map element).

   LinliMap.picker(el): tap to pick a point -> fills the form's latitude/longitude inputs, loads the nearby
   open demands (data-nearby URL) into data-nearby-target with htmx, and selects the community the point is in.
   LinliMap.staff(el): the demands a staff member may see (data-points URL) with the boundaries shaded by count. */
(function () {
  "use strict";

  function base(el) {
    var map = L.map(el, { zoomControl: true, attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.setView([Number(el.dataset.lat || 26.64), Number(el.dataset.lng || 119.51)], 13);
    return map;
  }

  function boundaries(map, url, style, onEach) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (data) {
        if (!data.features || !data.features.length) return null;
        var layer = L.geoJSON(data, { style: style, onEachFeature: onEach }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        return layer;
      });
  }

  function picker(el) {
    var map = base(el);
    var form = el.closest("form");
    var lat = form.querySelector("input[name=latitude]");
    var lng = form.querySelector("input[name=longitude]");
    var marker = null;
    boundaries(map, el.dataset.boundaries, function () {
      return { color: "#2f6f4e", weight: 1.5, fillOpacity: 0.06 };
    }, function (feature, layer) {
      layer.bindTooltip(feature.properties.name, { sticky: true });
      layer.on("click", function (e) { pick(e.latlng); });
    });

    function pick(latlng) {
      var p = [Number(latlng.lat.toFixed(6)), Number(latlng.lng.toFixed(6))];
      lat.value = p[0];
      lng.value = p[1];
      if (marker) { marker.setLatLng(p); } else { marker = L.circleMarker(p, { radius: 8, color: "#c0392b" }).addTo(map); }
      el.dataset.picked = p.join(",");
      var status = document.getElementById(el.dataset.status);
      if (status) status.hidden = false;
      if (window.htmx && el.dataset.nearby) {
        htmx.ajax("GET", el.dataset.nearby + "?lat=" + p[0] + "&lng=" + p[1], { target: el.dataset.nearbyTarget, swap: "innerHTML" });
      }
    }
    map.on("click", function (e) { pick(e.latlng); });
    if (lat.value && lng.value) pick({ lat: Number(lat.value), lng: Number(lng.value) });

    var select = form.querySelector("select[name=community]");
    document.body.addEventListener("linli:community", function (e) {
      if (select && e.detail && e.detail.value !== undefined) select.value = String(e.detail.value);
    });
    var here = document.getElementById(el.dataset.locate || "");
    if (here && navigator.geolocation) {
      here.hidden = false;
      here.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          var ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
          map.setView(ll, 16);
          pick(ll);
        });
      });
    }
    el.linliPick = pick; // for tests and for a "use this address" helper
    return map;
  }

  function staff(el) {
    var map = base(el);
    fetch(el.dataset.points, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var counts = data.counts || {};
        var max = Math.max.apply(null, [1].concat(Object.keys(counts).map(function (k) { return counts[k]; })));
        boundaries(map, el.dataset.boundaries, function (feature) {
          var n = counts[feature.properties.code] || 0;
          return { color: "#2f6f4e", weight: 1, fillColor: "#c0392b", fillOpacity: 0.05 + 0.45 * n / max };
        }, function (feature, layer) {
          layer.bindTooltip(feature.properties.name + "：" + (counts[feature.properties.code] || 0));
        });
        var group = L.featureGroup();
        data.points.forEach(function (p) {
          L.circleMarker([p.lat, p.lng], {
            radius: 4 + Math.min(p.supporters, 6), color: p.overdue ? "#c0392b" : "#2f6f4e", weight: 1, fillOpacity: 0.7
          }).bindPopup('<a href="' + el.dataset.demandUrl.replace("0", String(p.id)) + '">' + p.code + "</a>").addTo(group);
        });
        group.addTo(map);
        el.dataset.shown = String(data.points.length);
        if (data.points.length && !Object.keys(counts).length) map.fitBounds(group.getBounds(), { padding: [8, 8] });
      });
    return map;
  }

  function start() {
    document.querySelectorAll("[data-linli-map=picker]").forEach(picker);
    document.querySelectorAll("[data-linli-map=staff]").forEach(staff);
  }
  window.LinliMap = { picker: picker, staff: staff };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
