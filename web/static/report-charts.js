// Draws each report table's figures as a Chart.js chart in the canvas that names it
// (data-chart-for), reading the figures from the table's cells (data-value), so that the chart
// and the table always hold the same figures. A suppressed figure has no data-value: its bar is
// left out, and the table says "fewer than 5". A reader without sight or scripts has the table.
"use strict";

(function () {
  if (typeof Chart === "undefined") return;
  // Okabe and Ito's colour-blind-safe palette.
  const BLUE = "#0072B2";
  const ORANGE = "#D55E00";

  function rows(table) {
    return Array.from(table.querySelectorAll("tbody tr")).filter((row) => row.querySelector("th"));
  }

  function value(row, series) {
    const cell = row.querySelector(`td[data-series="${series}"]`);
    return cell && cell.dataset.value !== undefined ? parseFloat(cell.dataset.value) : null;
  }

  // A row's name; a suppressed figure's says so, or its missing bar would read as zero.
  function labels(table, series) {
    return rows(table).map((row) => {
      const name = row.querySelector("th").firstChild.textContent.trim();
      const hidden = row.querySelector(`td[data-series="${series}"]:not([data-value])`);
      return hidden && hidden.textContent.trim() !== "-" ? `${name} (${hidden.textContent.trim()})` : name;
    });
  }

  function bars(table) {
    return {
      type: "bar",
      data: {
        labels: labels(table, "count"),
        datasets: [{
          label: table.querySelector("thead th:last-child").textContent.trim(),
          data: rows(table).map((row) => value(row, "count")),
          backgroundColor: BLUE,
        }],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
                 plugins: { legend: { display: false } } },
    };
  }

  // The mean change as a point and its 95% interval as a floating bar around it.
  function intervals(table) {
    const shown = rows(table);
    return {
      type: "bar",
      data: {
        labels: labels(table, "mean"),
        datasets: [
          {
            type: "line",
            showLine: false,
            label: "Mean change",
            data: shown.map((row) => value(row, "mean")),
            backgroundColor: ORANGE,
            borderColor: ORANGE,
            pointStyle: "rectRot",
            pointRadius: 7,
          },
          {
            label: "95% interval",
            data: shown.map((row) => {
              const cell = row.querySelector('td[data-series="interval"]');
              return cell && cell.dataset.lower !== undefined
                ? [parseFloat(cell.dataset.lower), parseFloat(cell.dataset.upper)] : null;
            }),
            backgroundColor: "rgba(0, 114, 178, 0.35)",
            borderColor: BLUE,
            borderWidth: 1,
            barPercentage: 0.35,
          },
        ],
      },
      options: { plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } } },
    };
  }

  for (const canvas of document.querySelectorAll("canvas[data-chart-for]")) {
    const table = document.getElementById(canvas.dataset.chartFor);
    if (!table) continue;
    const config = canvas.dataset.kind === "interval" ? intervals(table) : bars(table);
    config.options.animation = false;
    config.options.maintainAspectRatio = false;
    new Chart(canvas, config);
  }
})();
