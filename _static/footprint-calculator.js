/*
 * Trip footprint calculator of the ILANCE Handbook.
 *
 * Why this file exists: readers want the footprint of their own route, not only of the routes
 * in the table. The page embeds, as JSON, the same airports and emission factors that the
 * build used for the table (see _ext/handbook/content/trip_footprint.py), and this script applies the same
 * formula in the same order of operations, so both agree to the displayed precision.
 * Plain JavaScript, no library, no network request.
 */
(function () {
  "use strict";

  var DEGREE = Math.PI / 180;

  // The words this script writes, in English. The page's data block carries them in the
  // language of the build ("labels", from calculator_labels() in _ext/handbook/content/trip_footprint.py).
  var ENGLISH = {
    choose_two: "Choose two airports.",
    choose_different: "Choose two different airports.",
    at_least_one: "Enter a number of return trips of at least 1.",
    whole_number: "Enter a whole number of return trips (no fractions).",
    at_most: "Enter at most {limit} return trips.",
    distance: "Great-circle distance: {km} km one way.",
    caption_one: "CO\u2082e per passenger for {trips} return trip",
    caption_other: "CO\u2082e per passenger for {trips} return trips",
    factor: "Emission factor",
    non_co2: "Includes non-CO\u2082 effects",
    tonnes: "t CO\u2082e",
    yes: "yes",
    no: "no"
  };

  function labelsOf(data) {
    var given = data.labels || {};
    var labels = {};
    Object.keys(ENGLISH).forEach(function (key) {
      labels[key] = typeof given[key] === "string" ? given[key] : ENGLISH[key];
    });
    return labels;
  }

  // "{km} km" with values: placeholders are named, so a translation may reorder them.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function radians(degrees) {
    return degrees * DEGREE;
  }

  // Mirrors haversine_km() in _ext/handbook/content/trip_footprint.py line by line.
  function haversineKm(lat1, lon1, lat2, lon2, radiusKm) {
    var phi1 = radians(lat1);
    var phi2 = radians(lat2);
    var halfDphi = Math.sin(radians(lat2 - lat1) / 2);
    var halfDlambda = Math.sin(radians(lon2 - lon1) / 2);
    var h = halfDphi * halfDphi + Math.cos(phi1) * Math.cos(phi2) * halfDlambda * halfDlambda;
    return 2 * radiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  // Same output as Python's f"{km:,.0f}" and f"{kg / 1000:,.2f}": thousands separated, so
  // that 1,000 trips read as 2,950.00 t and not 2950.00.
  function formatKm(km) {
    return km.toLocaleString("en-US", { maximumFractionDigits: 0 });
  }

  function formatTonnes(kg) {
    return (kg / 1000).toLocaleString("en-US",
      { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  // The number of trips typed, or the message that says what is wrong with it.
  function readTrips(field, text, limit) {
    var typed = field.value.trim();
    var number = Number(typed.replace(",", "."));
    if (typed === "" || !isFinite(number) || number < 1) {
      return { error: text.at_least_one };
    }
    if (Math.floor(number) !== number) {
      return { error: text.whole_number };
    }
    if (number > limit) {
      return { error: fill(text.at_most, { limit: formatKm(limit) }) };
    }
    return { trips: number };
  }

  // One return trip exactly as the table computes it (2 * km * factor), times the trips.
  function returnTripsKg(km, kgPerPkm, trips) {
    return 2 * km * kgPerPkm * trips;
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function render(form, data) {
    var text = labelsOf(data);
    var byCode = {};
    data.airports.forEach(function (airport) {
      byCode[airport.code] = airport;
    });
    var origin = byCode[form.elements.origin.value];
    var destination = byCode[form.elements.destination.value];
    var field = form.elements.trips;
    var typed = readTrips(field, text, data.max_trips || 1000);
    var trips = typed.trips;
    var message = form.querySelector(".footprint-error");
    var output = form.querySelector(".footprint-result");
    output.textContent = "";
    if (message) {
      message.textContent = typed.error || "";
    }
    if (field.setAttribute) {
      if (typed.error) {
        field.setAttribute("aria-invalid", "true");
      } else {
        field.removeAttribute("aria-invalid");
      }
    }

    if (!origin || !destination) {
      output.appendChild(element("p", text.choose_two));
      return;
    }
    if (origin.code === destination.code) {
      output.appendChild(element("p", text.choose_different));
      return;
    }
    if (typed.error) {
      return; // the message stands under the field it is about
    }

    var km = haversineKm(origin.lat, origin.lon, destination.lat, destination.lon,
                         data.earth_radius_km);
    output.appendChild(element("p", fill(text.distance, { km: formatKm(km) })));

    var table = element("table");
    table.className = "footprint-result-table";
    var caption = element("caption",
      fill(trips === 1 ? text.caption_one : text.caption_other, { trips: formatKm(trips) }));
    table.appendChild(caption);
    var head = element("thead");
    var headRow = element("tr");
    [text.factor, text.non_co2, text.tonnes].forEach(function (label) {
      var cell = element("th", label);
      cell.scope = "col";
      headRow.appendChild(cell);
    });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = element("tbody");
    data.factors.forEach(function (factor) {
      var row = element("tr");
      var name = element("th", factor.name);
      name.scope = "row";
      row.appendChild(name);
      row.appendChild(element("td", factor.includes_non_co2 ? text.yes : text.no));
      var kg = returnTripsKg(km, factor.kg_co2e_per_pkm, trips);
      row.appendChild(element("td", formatTonnes(kg)));
      body.appendChild(row);
    });
    table.appendChild(body);
    output.appendChild(table);
  }

  function start(form) {
    var source = document.getElementById(form.getAttribute("data-footprint-data"));
    if (!source) {
      return;
    }
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    var update = function () {
      render(form, data);
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
    update();
  }

  function startAll() {
    var forms = document.querySelectorAll("form.footprint-calculator");
    Array.prototype.forEach.call(forms, start);
  }

  // Under Node (the test suite), expose the arithmetic instead of touching a page.
  if (typeof module === "object" && module.exports) {
    module.exports = {
      haversineKm: haversineKm,
      formatKm: formatKm,
      formatTonnes: formatTonnes,
      returnTripsKg: returnTripsKg
    };
    return;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
