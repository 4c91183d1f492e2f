// The results map: a marker per venue found, drawn by Leaflet (served from our own npm install).
// Tiles come from OpenStreetMap when the browser can reach it; when it cannot, the container's
// plain background stays and the markers and the search area still show where things are.
"use strict";

(function () {
  const element = document.getElementById("map");
  const source = document.getElementById("map-data");
  if (!element || !source || !window.L) return;
  const data = JSON.parse(source.textContent);

  const map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer(data.tiles, {
    maxZoom: 19,
    attribution: "© OpenStreetMap contributors",
    referrerPolicy: "strict-origin-when-cross-origin",
  }).addTo(map);

  const points = [];
  if (data.centre && data.radiusKm) {
    const metres = data.radiusKm * 1000;
    L.circle(data.centre, {
      radius: metres, color: "#0b5394", weight: 1, dashArray: "4 4", fillOpacity: 0.04,
      interactive: false,
    }).addTo(map);
    const area = L.latLng(data.centre).toBounds(2 * metres);
    points.push(area.getSouthWest(), area.getNorthEast());
  }
  for (const venue of data.markers) {
    const label = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = venue.name;
    label.append(name);
    for (const found of venue.found) {
      const line = document.createElement("div");
      line.textContent = found;
      label.append(line);
    }
    L.circleMarker([venue.lat, venue.lon], {
      radius: 9, color: "#ffffff", weight: 2, fillColor: "#b3261e", fillOpacity: 1,
    }).bindPopup(label).bindTooltip(venue.name).addTo(map);
    points.push(L.latLng(venue.lat, venue.lon));
  }
  map.fitBounds(L.latLngBounds(points), { padding: [20, 20], maxZoom: 15 });
  element.classList.add("ready");
})();
