// Draws a report page's plot: fetches the report's JSON (the canvas's data-source, /api/1/reports/...) and hands
// its labels and datasets to Chart.js (Debian's libjs-chart.js, loaded before this file). The same figures are in
// the page's table, so without JavaScript nothing is lost but the picture.
(function () {
  "use strict";

  var canvas = document.getElementById("report-chart");
  if (!canvas || typeof Chart === "undefined") {
    return;
  }

  // Distinguishable on white, in the order datasets come.
  var palette = ["#0b57a4", "#b3261e", "#1e7b34", "#8a5a00", "#6a3d9a", "#00838f", "#c2185b", "#5b6270",
    "#e65100", "#2e7d32", "#283593", "#795548"];

  function bytes(value) {
    var units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    var i = 0;
    var v = Math.abs(value);
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i += 1;
    }
    return (value < 0 ? "-" : "") + (Math.round(v * 10) / 10) + " " + units[i];
  }

  function axisTitle(unit) {
    return unit.charAt(0).toUpperCase() + unit.slice(1);
  }

  function draw(report) {
    // One y axis per unit: the first on the left, the second on the right.
    var units = [];
    report.datasets.forEach(function (d) {
      if (units.indexOf(d.unit) < 0) {
        units.push(d.unit);
      }
    });
    var bar = report.chart_type === "bar";
    var scales = { x: { stacked: bar } };
    units.forEach(function (unit, i) {
      scales[i === 0 ? "y" : "y" + i] = {
        position: i % 2 === 0 ? "left" : "right",
        beginAtZero: true,
        stacked: bar,
        title: { display: true, text: axisTitle(unit) },
        grid: { drawOnChartArea: i === 0 },
        // Counts are whole numbers: no 0.2-composes ticks.
        ticks: unit === "bytes" ? { callback: function (v) { return bytes(v); } }
          : unit === "seconds" ? {} : { precision: 0 }
      };
    });
    var datasets = report.datasets.map(function (d, i) {
      var colour = palette[i % palette.length];
      var axis = units.indexOf(d.unit);
      var set = {
        label: d.label,
        data: d.data,
        yAxisID: axis === 0 ? "y" : "y" + axis,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: bar ? 0 : 2,
        pointRadius: 2,
        spanGaps: false
      };
      if (d.stack) {
        set.stack = d.stack;
      }
      return set;
    });
    var chart = new Chart(canvas, {
      type: report.chart_type,
      data: { labels: report.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var unit = report.datasets[item.datasetIndex].unit;
                var v = item.raw;
                return item.dataset.label + ": " + (v === null ? "none" : unit === "bytes" ? bytes(v) : v);
              }
            }
          }
        }
      }
    });
    canvas.setAttribute("data-drawn", String(chart.data.datasets.length));
  }

  function fail(message) {
    var p = document.createElement("p");
    p.className = "error-message";
    p.textContent = "The plot could not be drawn: " + message + ". The table below has the figures.";
    canvas.parentNode.insertAdjacentElement("afterend", p);
    canvas.setAttribute("data-error", message);
  }

  fetch(canvas.getAttribute("data-source"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(draw)
    .catch(function (error) {
      fail(String(error.message || error));
    });
})();
