// Draws the dashboard's charts from the figures embedded in the page (json_script).
// Right-to-left pages get a reversed time axis and right-aligned legends.
(function () {
  "use strict";
  function draw() {
    const source = document.getElementById("metrics-series");
    if (!source || typeof window.Chart === "undefined") return;
    const points = JSON.parse(source.textContent);
    const labels = document.getElementById("metrics-labels").dataset;
    const rtl = document.documentElement.dir === "rtl";
    const locale = document.documentElement.lang || undefined;
    const days = points.map((p) => new Date(p.day + "T00:00:00").toLocaleDateString(locale, { month: "short", day: "numeric" }));
    const percent = (value) => (value === null ? null : Math.round(value * 1000) / 10);

    function options(extra) {
      return Object.assign({
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "top", align: rtl ? "end" : "start", rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
          tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
        },
        scales: {
          x: { reverse: rtl, ticks: { maxRotation: 0, autoSkip: true } },
          y: { beginAtZero: true, position: rtl ? "right" : "left" },
        },
      }, extra || {});
    }

    function chart(id, config) {
      const canvas = document.getElementById(id);
      if (canvas) new window.Chart(canvas, config);
    }

    chart("chart-volume", {
      type: "bar",
      data: {
        labels: days,
        datasets: [
          { label: labels.created, data: points.map((p) => p.created), backgroundColor: "#2f6fb3" },
          { label: labels.solved, data: points.map((p) => p.solved), backgroundColor: "#3c9a5f" },
        ],
      },
      options: options(),
    });
    const percentScale = options();
    percentScale.scales.y.max = 100;
    chart("chart-response", {
      type: "line",
      data: { labels: days, datasets: [{ label: labels.response + " (%)", data: points.map((p) => percent(p.response_rate)), borderColor: "#2f6fb3", spanGaps: true }] },
      options: percentScale,
    });
    chart("chart-resolution", {
      type: "line",
      data: {
        labels: days,
        datasets: [
          { label: labels.median + " (" + labels.hours + ")", data: points.map((p) => p.resolution_hours), borderColor: "#8a4fb3", spanGaps: true },
          { label: labels.mean + " (" + labels.hours + ")", data: points.map((p) => p.resolution_mean_hours), borderColor: "#c27c0e", borderDash: [4, 4], spanGaps: true },
          { label: labels.businessMean + " (" + labels.hours + ")", data: points.map((p) => p.resolution_business_hours), borderColor: "#2f6fb3", borderDash: [2, 2], spanGaps: true },
        ],
      },
      options: options(),
    });
    const slaScale = options();
    slaScale.scales.y.max = 100;
    chart("chart-sla", {
      type: "line",
      data: {
        labels: days,
        datasets: [
          { label: labels.firstResponseMet + " (%)", data: points.map((p) => percent(p.first_response_sla_met)), borderColor: "#2f6fb3", spanGaps: true },
          { label: labels.resolutionMet + " (%)", data: points.map((p) => percent(p.resolution_sla_met)), borderColor: "#8a4fb3", borderDash: [4, 4], spanGaps: true },
        ],
      },
      options: slaScale,
    });
    const csatScale = options();
    csatScale.scales.y.max = 100;
    chart("chart-csat", {
      type: "line",
      data: { labels: days, datasets: [{ label: labels.csat + " (%)", data: points.map((p) => percent(p.csat)), borderColor: "#3c9a5f", spanGaps: true }] },
      options: csatScale,
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
