/* "Use my location": fills the optional coordinates from the phone's location.
   An enhancement only: without JavaScript or geolocation the button stays hidden and the
   fields can be typed. Messages come translated from the button's data attributes. */
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.getElementById(button.getAttribute("aria-controls"));
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.wait;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.done;
        button.disabled = false;
      },
      function () {
        status.textContent = button.dataset.failed;
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
