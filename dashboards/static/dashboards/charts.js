/* The dashboards' charts. Data comes from the page's json_script element "dashboard-charts";
   every chart has a table or text beside it, so the charts only add a picture. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var palette = ["#2f6f8f", "#6aa84f", "#e69138", "#8e7cc3", "#cc4125"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  // Bars and lines that grow into place are motion some readers have asked their system to spare.
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) { Chart.defaults.animation = false; }

  function bar(id, data, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !data) { return; }
    data.datasets.forEach(function (d, i) { d.backgroundColor = palette[i % palette.length]; });
    new Chart(canvas, {
      type: "bar",
      data: data,
      options: Object.assign({ scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, options || {})
    });
  }

  function run(id, data) {
    var canvas = document.getElementById(id);
    if (!canvas || !data) { return; }
    var colours = data.values.map(function (_, i) { return data.shift[i] ? "#e69138" : "#2f6f8f"; });
    var shapes = data.values.map(function (_, i) { return data.trend[i] ? "triangle" : "circle"; });
    var sizes = data.values.map(function (_, i) { return data.trend[i] || data.shift[i] ? 6 : 3; });
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.label, data: data.values, borderColor: "#2f6f8f", pointBackgroundColor: colours,
            pointBorderColor: colours, pointStyle: shapes, pointRadius: sizes, tension: 0 },
          { label: data.median_label, data: data.values.map(function () { return data.median; }),
            borderColor: "#999", borderDash: [6, 4], pointRadius: 0 }
        ]
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  function sparks(values) {
    document.querySelectorAll("canvas.spark").forEach(function (canvas) {
      var points = values[canvas.dataset.summary] || [];
      new Chart(canvas, {
        type: "bar",
        data: { labels: points.map(function (_, i) { return i + 1; }),
                datasets: [{ data: points, backgroundColor: "#2f6f8f" }] },
        options: { responsive: false, animation: false, events: [],
                   plugins: { legend: { display: false }, tooltip: { enabled: false } },
                   scales: { x: { display: false }, y: { display: false, beginAtZero: true } } }
      });
    });
  }

  bar("chart-phases", charts.phases, { plugins: { legend: { display: false } } });
  run("chart-run", charts.run);
  bar("chart-starting-points", charts.starting_points, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } });
  bar("chart-tests", charts.tests, { plugins: { legend: { display: false } } });
  if (charts.history) {
    var h = document.getElementById("chart-history");
    if (h) {
      charts.history.datasets.forEach(function (d, i) { d.borderColor = palette[i]; d.backgroundColor = palette[i]; d.tension = 0; });
      new Chart(h, { type: "line", data: charts.history, options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
    }
  }
  if (charts.sparks) { sparks(charts.sparks); }
})();
