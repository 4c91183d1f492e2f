// Draws each wellbeing table's figures as a Chart.js line chart in the canvas that names it
// (data-chart-for): the chart is read from the table, so the two always hold the same figures,
// and a reader without sight or without scripts has the table.
"use strict";

(function () {
  // Okabe and Ito's colour-blind-safe palette, and a point shape per line as well as a colour.
  const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];
  const SHAPES = ["circle", "rect", "triangle", "rectRot"];

  function figures(table) {
    const names = Array.from(table.querySelectorAll("thead th")).slice(1).map((th) => th.textContent.trim());
    const rows = Array.from(table.querySelectorAll("tbody tr"));
    return {
      labels: rows.map((row) => row.querySelector("th").textContent.trim()),
      datasets: names.map((name, i) => ({
        label: name,
        data: rows.map((row) => parseFloat(row.querySelectorAll("td")[i].dataset.value)),
        borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length],
        pointStyle: SHAPES[i % SHAPES.length],
        pointRadius: 5,
      })),
    };
  }

  for (const canvas of document.querySelectorAll("canvas[data-chart-for]")) {
    const table = document.getElementById(canvas.dataset.chartFor);
    if (!table || typeof Chart === "undefined") continue;
    new Chart(canvas, {
      type: "line",
      data: figures(table),
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { min: parseFloat(table.dataset.low), max: parseFloat(table.dataset.high) } },
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } },
      },
    });
  }
})();
