/* Draws the campaign report's charts from #visits-report-data; the same numbers are in the tables below each chart. */
(function () {
  "use strict";
  var source = document.getElementById("visits-report-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var t = data.texts || {};
  var charts = [];
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = window.echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  }
  var grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
  draw("chart-rounds", {
    tooltip: { trigger: "axis", confine: true }, legend: { top: 0 }, grid: grid,
    xAxis: { type: "category", data: data.rounds.map(function (r) { return r.number; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: t.visits, type: "bar", data: data.rounds.map(function (r) { return r.visits; }) },
      { name: t.issues, type: "line", data: data.rounds.map(function (r) { return r.issues; }) }
    ]
  });
  draw("chart-levels", { tooltip: { trigger: "item", confine: true }, series: [{ type: "pie", radius: ["35%", "65%"], data: data.levels }] });
  draw("chart-units", {
    tooltip: { trigger: "axis", confine: true }, grid: grid,
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.units.map(function (r) { return r.unit; }).reverse() },
    series: [{ type: "bar", data: data.units.map(function (r) { return r.count; }).reverse() }]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
