/* Record a concern: tap the map or drag the pin to fill in the longitude and latitude,
   or use the device's position; the map follows the chosen ward. The server checks that
   the point lies inside the ward. */
(function () {
  "use strict";
  var map = window.wardProfilesPickMap;
  var lon = document.getElementById("longitude");
  var lat = document.getElementById("latitude");
  var ward = document.getElementById("ward_code");
  var status = document.getElementById("pick-status");
  if (!map || !lon || !lat) { return; }
  var bounds = JSON.parse(document.getElementById("ward-bounds").textContent || "{}");
  var pin = null;

  function write(at) {
    lon.value = at.lng.toFixed(6);
    lat.value = at.lat.toFixed(6);
    status.textContent = "Point set: longitude " + lon.value + ", latitude " + lat.value + ".";
  }

  function place(at, zoom) {
    if (!pin) {
      pin = L.marker(at, {
        draggable: true,
        keyboard: true,
        title: "The concern's point: drag to move",
        icon: L.divIcon({className: "pick-pin", iconSize: [22, 22]})
      }).addTo(map);
      pin.on("dragend", function () { write(pin.getLatLng()); });
    } else {
      pin.setLatLng(at);
    }
    write(at);
    if (zoom) { map.setView(at, Math.max(map.getZoom(), 16)); }
  }

  function fitWard() {
    var b = ward && bounds[ward.value];
    if (b) { map.fitBounds([[b[1], b[0]], [b[3], b[2]]]); }
  }

  map.on("click", function (event) { place(event.latlng, false); });
  if (ward) { ward.addEventListener("change", fitWard); }
  if (lon.value && lat.value && !isNaN(+lon.value) && !isNaN(+lat.value)) {
    place(L.latLng(+lat.value, +lon.value), true);
  } else {
    fitWard();
  }

  var button = document.getElementById("use-location");
  if (button && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "Finding your location...";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          place(L.latLng(position.coords.latitude, position.coords.longitude), true);
        },
        function (error) {
          status.textContent = "Your location could not be found (" + error.message +
            "): tap the map instead.";
        },
        {enableHighAccuracy: true, timeout: 15000}
      );
    });
  }
})();
