/* Browser pages of the Overseas Safety Center: the case map, place suggestions, person rows,
   auto-refresh. Plain JavaScript; every page works without it (forms post normally). */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  /* ---- map: country polygons as the base map (offline), optional tiles, a draggable pin ---- */
  function initMap(el) {
    if (!el || typeof L === "undefined") { return null; }
    var map = L.map(el, { worldCopyJump: true, keyboard: true }).setView([20, 100], 2);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
    } else if (el.dataset.basemapUrl) {
      fetch(el.dataset.basemapUrl, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (geojson) {
          if (!geojson) { return; }
          L.geoJSON(geojson, {
            interactive: false,
            style: { color: "#7c8a6e", weight: 0.6, fillColor: "#eef2e6", fillOpacity: 1 }
          }).addTo(map).bringToBack();
        });
      el.style.background = "#cfe3f2";
    }
    var marker = null;
    var editable = el.dataset.editable === "1";
    var latInput = editable ? $(el.dataset.latInput) : null;
    var lonInput = editable ? $(el.dataset.lonInput) : null;

    function place(lat, lon, zoom) {
      if (marker === null) {
        marker = L.marker([lat, lon], { draggable: editable, keyboard: true, title: "pin" }).addTo(map);
        if (editable) {
          marker.on("dragend", function () {
            var p = marker.getLatLng();
            write(p.lat, p.lng);
          });
        }
      } else {
        marker.setLatLng([lat, lon]);
      }
      map.setView([lat, lon], zoom || Math.max(map.getZoom(), 7));
    }
    function write(lat, lon) {
      latInput.value = lat.toFixed(5);
      lonInput.value = (((lon + 180) % 360 + 360) % 360 - 180).toFixed(5);
    }
    if (el.dataset.lat && el.dataset.lon) {
      place(parseFloat(el.dataset.lat), parseFloat(el.dataset.lon), el.dataset.tileUrl ? 12 : 7);
    }
    if (editable) {
      map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); write(e.latlng.lat, e.latlng.lng); });
      var fromInputs = function () {
        var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
        if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) { place(lat, lon); }
      };
      latInput.addEventListener("change", fromInputs);
      lonInput.addEventListener("change", fromInputs);
      fromInputs();
    }
    return { place: place };
  }

  /* ---- place suggestions from /api/geocode/ as the operator types (an ARIA combobox) ---- */
  function initCombobox(input, mapApi) {
    if (!input) { return; }
    var list = $("location-candidates");
    var status = $("location-status");
    var country = $("id_country");
    var items = [];
    var active = -1;
    var timer = null;
    var seq = 0;
    var loading = false;
    var enterWaiting = false;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var nodes = list.querySelectorAll("[role=option]");
      nodes.forEach(function (n, i) { n.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && nodes[index]) { input.setAttribute("aria-activedescendant", nodes[index].id); }
    }
    function pick(index) {
      var c = items[index];
      if (!c) { return; }
      input.value = c.display_name || input.value;
      if (country) { country.value = c.country || ""; }
      if (c.lat != null && c.lon != null) {
        $("id_lat").value = Number(c.lat).toFixed(5);
        $("id_lon").value = Number(c.lon).toFixed(5);
        if (mapApi) { mapApi.place(Number(c.lat), Number(c.lon), 8); }
      }
      status.textContent = c.display_name || "";
      close();
    }
    function render(body) {
      items = (body && body.candidates && body.candidates.length) ? body.candidates
        : (body && body.found ? [body] : []);
      list.innerHTML = "";
      items.forEach(function (c, i) {
        var li = document.createElement("li");
        li.id = "candidate-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "candidate";
        li.textContent = (c.display_name || "?") + (c.country ? " · " + c.country : "");
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      if (enterWaiting && items.length) { enterWaiting = false; pick(0); return; }
      enterWaiting = false;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(0);
        status.textContent = items.length + " ↓";
      } else {
        close();
        status.textContent = input.value.trim() ? "∅" : "";
      }
    }
    function lookup() {
      var q = input.value.trim();
      if (q.length < 2) { close(); loading = false; return; }
      var mine = ++seq;
      loading = true;
      fetch(input.dataset.geocodeUrl + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) { if (mine === seq) { loading = false; render(body); } })
        .catch(function () { if (mine === seq) { loading = false; enterWaiting = false; close(); } });
    }
    input.addEventListener("input", function () {
      if (country) { country.value = ""; }
      clearTimeout(timer);
      loading = true;
      timer = setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && list.hidden && loading) {
        /* suggestions are on their way: take the first one instead of submitting the form */
        enterWaiting = true;
        e.preventDefault();
        return;
      }
      if (list.hidden) {
        if (e.key === "ArrowDown" && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); highlight(0); e.preventDefault(); }
        return;
      }
      if (e.key === "ArrowDown") { highlight(Math.min(active + 1, items.length - 1)); e.preventDefault(); }
      else if (e.key === "ArrowUp") { highlight(Math.max(active - 1, 0)); e.preventDefault(); }
      else if (e.key === "Enter") { if (active >= 0) { pick(active); e.preventDefault(); } }
      else if (e.key === "Escape") { close(); e.preventDefault(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  /* ---- "add another person/caller": clone the formset's empty form ---- */
  function initFormsetAdd(button) {
    var prefix = button.dataset.formsetAdd;
    button.addEventListener("click", function () {
      var total = $("id_" + prefix + "-TOTAL_FORMS");
      var index = parseInt(total.value, 10);
      var html = $(prefix + "-empty").innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstChild;
      $(prefix + "-rows").appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input, select");
      if (first) { first.focus(); }
    });
  }

  /* ---- auto-refresh of a list: replace its content unless the user is inside it ---- */
  function initRefresh(el) {
    var seconds = parseInt(el.dataset.refreshS || "30", 10);
    setInterval(function () {
      if (document.hidden || el.contains(document.activeElement)) { return; }
      fetch(el.dataset.refreshUrl, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null && !el.contains(document.activeElement)) { el.innerHTML = html; } });
    }, seconds * 1000);
  }

  // Personal data is masked on the case page; "Show" asks the audited reveal API and writes the clear values as text.
  function initReveal(button) {
    button.addEventListener("click", function () {
      var csrf = document.querySelector("[name=csrfmiddlewaretoken]");
      fetch(button.dataset.revealUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (body === null) { return; }
          var row = button.closest("tr, li");
          row.querySelectorAll("[data-field]").forEach(function (cell) {
            var value = body[cell.dataset.field];
            if (value !== undefined) { cell.textContent = value || "—"; }
          });
          button.remove();
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var mapApi = initMap($("map"));
    initCombobox($("id_location_text"), mapApi);
    document.querySelectorAll("[data-formset-add]").forEach(initFormsetAdd);
    document.querySelectorAll("[data-refresh-url]").forEach(initRefresh);
    document.querySelectorAll("button.reveal[data-reveal-url]").forEach(initReveal);
  });
})();
