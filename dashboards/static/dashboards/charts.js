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

  // A measure's chart (dashboards/measures.py): the points, the centre line and any control
  // limits per phase, points the rules mark in orange, the PDSA cycles as flags at their
  // periods, and a test's prediction as a dashed target line.
  var marksPlugin = {
    id: "triadMarks",
    afterDatasetsDraw: function (chart, _args, options) {
      var marks = options.marks || [];
      if (!marks.length) { return; }
      var ctx = chart.ctx, x = chart.scales.x, area = chart.chartArea;
      ctx.save();
      ctx.strokeStyle = "#8e7cc3"; ctx.fillStyle = "#5b4a91"; ctx.lineWidth = 1;
      ctx.setLineDash([2, 3]);
      ctx.font = "11px " + Chart.defaults.font.family;
      var placed = {};
      marks.forEach(function (m) {
        var px = x.getPixelForValue(m.at);
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        var row = placed[m.at] = (placed[m.at] || 0) + 1;
        ctx.fillText("\u2691", px + 2, area.top + 10 * row);
      });
      ctx.restore();
    }
  };

  function measure(canvas, data, words) {
    var flagged = data.values.map(function (_, i) { return data.shift[i] || data.trend[i] || data.outside[i]; });
    var colours = flagged.map(function (f) { return f ? "#e69138" : "#2f6f8f"; });
    var datasets = [
      { label: data.label, data: data.values, borderColor: "#2f6f8f", pointBackgroundColor: colours,
        pointBorderColor: colours, pointRadius: flagged.map(function (f) { return f ? 5 : 3; }),
        tension: 0, spanGaps: true },
      { label: data.chart === "run" ? words.median : words.centre, data: data.centre,
        borderColor: "#666", borderWidth: 1.5, pointRadius: 0, stepped: true, segment: phaseBreak(data) }
    ];
    if (data.chart !== "run") {
      datasets.push({ label: words.limits, data: data.upper, borderColor: "#bbb", borderDash: [4, 3],
                      borderWidth: 1, pointRadius: 0, stepped: "middle", spanGaps: false });
      datasets.push({ label: "", data: data.lower, borderColor: "#bbb", borderDash: [4, 3],
                      borderWidth: 1, pointRadius: 0, stepped: "middle", spanGaps: false });
    }
    if (data.target !== null && data.target !== undefined) {
      datasets.push({ label: words.target, data: data.values.map(function () { return data.target; }),
                      borderColor: "#6aa84f", borderDash: [8, 4], borderWidth: 2, pointRadius: 0 });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      plugins: [marksPlugin],
      options: {
        plugins: { triadMarks: { marks: data.marks },
                   legend: { labels: { filter: function (item) { return item.text !== ""; } } } },
        scales: { y: { beginAtZero: true, suggestedMax: data.percent ? 100 : undefined,
                       ticks: { precision: data.chart === "run" ? 0 : undefined } } }
      }
    });
  }

  // The centre line is not drawn across the boundary of two phases.
  function phaseBreak(data) {
    return { borderDash: function (ctx) { return data.phases.indexOf(ctx.p1DataIndex) > 0 ? [1, 200] : undefined; } };
  }

  function measures(list, words) {
    (list || []).forEach(function (data) {
      var canvas = document.getElementById("chart-measure-" + data.key);
      if (canvas) { measure(canvas, data, words); }
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
  measures(charts.measures, charts.words || {});
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
