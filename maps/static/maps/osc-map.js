/* Layers of the plenary dashboard map, built from the aggregate data the server embeds (window.OSC_DATA).
   Every text that reaches the DOM goes through esc() or textContent: labels come from the database. */
(function () {
  "use strict";
  var OSC = (window.OSC = window.OSC || {});
  OSC.stats = {};  /* features drawn per layer, read by the browser tests */
  function counted(name, layer) {
    OSC.stats[name] = layer.getLayers().length;
    return layer;
  }

  OSC.esc = function (value) {
    return String(value).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  };
  OSC.fmt = function (n) {
    return Number(n).toLocaleString("en-US");
  };

  function countryName(data, iso2) {
    var names = data.country_names || {};
    return names[iso2] || iso2;
  }

  OSC.basemap = function (data) {
    return counted("basemap", L.geoJSON(data.countries, {
      interactive: false,
      style: { color: "#9aa79a", weight: 0.6, fillColor: "#eef1ea", fillOpacity: 1 },
    }));
  };

  OSC.binColor = function (data, n) {
    var bins = data.choropleth.bins, colors = data.choropleth.colors, i;
    if (!n) return null;
    for (i = bins.length - 1; i >= 0; i--) if (n >= bins[i]) return colors[i];
    return colors[0];
  };

  OSC.choropleth = function (data) {
    var counts = data.choropleth.counts;
    return counted("choropleth", L.geoJSON(data.countries, {
      filter: function (f) { return counts[f.id] > 0; },
      style: function (f) {
        return { color: "#555", weight: 0.5, fillColor: OSC.binColor(data, counts[f.id]), fillOpacity: 0.75 };
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(OSC.esc(countryName(data, f.id)) + ": " + OSC.fmt(counts[f.id]) + " cases", { sticky: true });
      },
    }));
  };

  OSC.countIcon = function (n, regional) {
    var size = n < 10 ? 26 : n < 100 ? 32 : n < 1000 ? 40 : n < 10000 ? 48 : 56;
    var cls = "osc-count" + (regional ? " osc-count-region" : "");
    return L.divIcon({
      html: "<div><span>" + OSC.fmt(n) + "</span></div>",
      className: "marker-cluster " + cls,
      iconSize: L.point(size, size),
    });
  };

  /* Callback of folium's FastMarkerCluster: one marker per aggregated row [lat, lon, count, region]. */
  OSC.clusterRow = function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]), { icon: OSC.countIcon(row[2], !!row[3]) });
    marker.options.oscCount = row[2];
    var where = row[3] ? " (region " + OSC.esc(row[3]) + ", smaller groups are shown at their region)" : "";
    marker.bindTooltip(OSC.fmt(row[2]) + " cases" + where);
    return marker;
  };
  OSC.clusterIcon = function (cluster) {
    var total = 0;
    cluster.getAllChildMarkers().forEach(function (m) { total += m.options.oscCount || 0; });
    return OSC.countIcon(total, false);
  };

  OSC.missions = function (data) {
    var group = L.featureGroup();
    var byCountry = {};
    data.missions.forEach(function (m) {
      (m.countries || []).forEach(function (iso2) { byCountry[iso2] = m; });
    });
    L.geoJSON(data.countries, {
      filter: function (f) { return !!byCountry[f.id]; },
      style: { color: "#1f4e79", weight: 1, dashArray: "3 3", fill: false },
      onEachFeature: function (f, layer) {
        var m = byCountry[f.id];
        layer.bindTooltip(OSC.esc(countryName(data, f.id)) + " — district of " + OSC.esc(m.name), { sticky: true });
      },
    }).addTo(group);
    L.geoJSON(data.districts, {
      style: { color: "#1f4e79", weight: 1.2, dashArray: "4 2", fill: true, fillOpacity: 0.02 },
      onEachFeature: function (f, layer) {
        var m = data.mission_index[f.properties.mission];
        layer.bindTooltip("District of " + OSC.esc(m ? m.name : f.properties.mission), { sticky: true });
      },
    }).addTo(group);
    data.missions.forEach(function (m) {
      L.circleMarker([m.lat, m.lon], {
        radius: m.kind === "embassy" ? 5 : 4, color: "#fff", weight: 1, fillColor: "#1f4e79", fillOpacity: 1,
      }).bindTooltip(OSC.esc(m.name) + " · " + OSC.esc(m.city)).addTo(group);
    });
    return counted("missions", group);
  };

  OSC.advisories = function (data) {
    var group = L.featureGroup();
    var levels = data.advisory_levels;
    function tip(a) {
      var until = a.valid_to ? " until " + OSC.esc(a.valid_to.slice(0, 10)) : "";
      var note = a.note ? "<br>" + OSC.esc(a.note) : "";
      return OSC.esc(a.area) + ": " + OSC.esc(levels[a.level].label) + " (since " + OSC.esc(a.valid_from.slice(0, 10)) + until + ")" + note;
    }
    var national = {};
    data.advisories.forEach(function (a) { if (!a.admin1 && !national[a.country]) national[a.country] = a; });
    var drawn = 0;
    var nationalLayer = L.geoJSON(data.countries, {
      filter: function (f) { return !!national[f.id]; },
      style: function (f) {
        var c = levels[national[f.id].level].color;
        return { color: c, weight: 1, fillColor: c, fillOpacity: 0.45 };
      },
      onEachFeature: function (f, layer) { layer.bindTooltip(tip(national[f.id]), { sticky: true }); },
    }).addTo(group);
    drawn += nationalLayer.getLayers().length;
    data.advisories.forEach(function (a) {
      if (!a.admin1) return;
      var shape = data.advisory_regions[a.country + "/" + a.admin1];
      var c = levels[a.level].color;
      drawn += 1;
      if (shape) {
        L.geoJSON(shape, { style: { color: c, weight: 1, fillColor: c, fillOpacity: 0.55 } })
          .bindTooltip(tip(a), { sticky: true }).addTo(group);
      } else if (a.lat !== null) {
        L.circleMarker([a.lat, a.lon], { radius: 10, color: c, fillColor: c, fillOpacity: 0.6 })
          .bindTooltip(tip(a)).addTo(group);
      }
    });
    OSC.stats.advisories = drawn;
    return group;
  };

  OSC.legend = function (data) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "osc-legend");
      var html = "<strong>Incidents per country</strong><br>";
      var bins = data.choropleth.bins;
      data.choropleth.colors.forEach(function (color, i) {
        var upper = i + 1 < bins.length ? "–" + OSC.fmt(bins[i + 1] - 1) : "+";
        html += '<i style="background:' + OSC.esc(color) + '"></i> ' + OSC.fmt(bins[i]) + upper + "<br>";
      });
      html += "<strong>Travel advisories</strong><br>";
      data.advisory_order.forEach(function (key) {
        var l = data.advisory_levels[key];
        html += '<i style="background:' + OSC.esc(l.color) + '"></i> ' + OSC.esc(l.label) + "<br>";
      });
      html += '<strong>Clusters</strong><br><span class="osc-count-sample">n</span> cases (groups under ' +
        OSC.fmt(data.min_cluster) + " shown at their region)<br>";
      html += '<i style="background:#1f4e79;border-radius:50%"></i> mission (district outlined)<br>';
      html += '<small>' + OSC.esc(data.period) + "</small>";
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control;
  };

  OSC.ready = function (map) {
    map.whenReady(function () {
      window.oscMapReady = true;
      document.documentElement.setAttribute("data-map-ready", "1");
    });
  };
})();
