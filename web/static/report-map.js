// The unmet needs map: a circle per outward postcode, drawn by Leaflet from the rows of the
// table beside it (data-lat, data-lon and the count's data-value), so the map shows only what
// the table shows. A suppressed count is a hollow circle, "fewer than 5", never a number.
"use strict";

(function () {
  const element = document.getElementById("unmet-map");
  const table = document.getElementById("unmet-places");
  if (!element || !table || !window.L) return;

  const map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 19,
    attribution: "© OpenStreetMap contributors",
    referrerPolicy: "strict-origin-when-cross-origin",
  }).addTo(map);

  const points = [];
  for (const row of table.querySelectorAll("tbody tr[data-lat]")) {
    const where = [parseFloat(row.dataset.lat), parseFloat(row.dataset.lon)];
    const cell = row.querySelector("td");
    const count = cell.dataset.value === undefined ? null : parseFloat(cell.dataset.value);
    const label = `${row.querySelector("th").textContent.trim()}: ${cell.textContent.trim()}`;
    L.circleMarker(where, {
      radius: count === null ? 8 : 8 + 2 * Math.sqrt(count),
      color: "#0072B2", weight: 2,
      fillColor: "#0072B2", fillOpacity: count === null ? 0 : 0.6,
    }).bindTooltip(label).addTo(map);
    points.push(L.latLng(where));
  }
  if (points.length) {
    map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 13 });
  } else {
    map.setView([52.92, -1.48], 11);  // nothing counted: Derby, where the demo lives
  }
  element.classList.add("ready");
})();
