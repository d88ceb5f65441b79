/* The dashboard's charts (app/reports/dashboard_views.py): Chart.js from
   app/static/vendor, data from the page's JSON; a click on a bar or a slice opens the
   list behind it. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var palette = ["#1f5f99", "#2e8b57", "#d98c1f", "#b03a2e", "#6a4c93", "#1b998b",
                 "#8c564b", "#5d6d7e", "#c2185b", "#7cb342", "#3949ab", "#00897b"];
  var numbers = new Intl.NumberFormat("vi-VN");
  // Longer category labels (agency and subject area names) are shortened on the axis, so
  // that Chart.js does not clip them at the canvas edge; the tooltip shows them whole.
  var LABEL_MAX = 32;

  Chart.defaults.font.family = '"Helvetica Neue", Helvetica, Arial, sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#333";

  function shortLabel(value) {
    var label = String(this.getLabelForValue(value));
    return label.length > LABEL_MAX ? label.slice(0, LABEL_MAX - 1).trim() + "\u2026" : label;
  }

  function colours(chart, dataset, index) {
    if (chart.kind === "doughnut") { return palette.slice(0, chart.labels.length); }
    if (chart.datasets.length > 1) { return palette[(index === 0 ? 3 : 2)]; }
    return palette[0];
  }

  charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-chart="' + chart.id + '"]');
    if (!canvas) { return; }
    var datasets = chart.datasets.map(function (dataset, index) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: colours(chart, dataset, index),
        borderWidth: chart.kind === "doughnut" ? 2 : 0,
        borderColor: "#fff",
        borderRadius: chart.kind === "bar" ? 3 : 0,
        maxBarThickness: 38
      };
    });
    var bar = chart.kind === "bar";
    new Chart(canvas, {
      type: chart.kind,
      data: {labels: chart.labels, datasets: datasets},
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: chart.horizontal ? "y" : "x",
        animation: false,
        plugins: {
          legend: {display: chart.kind === "doughnut" || chart.datasets.length > 1, position: chart.kind === "doughnut" ? "right" : "top"},
          tooltip: {callbacks: {label: function (item) {
            return " " + (item.dataset.label || "") + ": " + numbers.format(item.raw);
          }}}
        },
        scales: bar ? {
          x: {stacked: chart.stacked, beginAtZero: true, grid: {display: !chart.horizontal},
              ticks: chart.horizontal ? {precision: 0} : {callback: shortLabel}},
          y: {stacked: chart.stacked, beginAtZero: true, grid: {display: chart.horizontal === false},
              ticks: chart.horizontal ? {callback: shortLabel} : {precision: 0}}
        } : {},
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (!elements.length) { return; }
          var element = elements[0];
          var link = chart.datasets[element.datasetIndex].links[element.index];
          if (link) { window.location.href = link; }
        }
      }
    });
  });
})();
