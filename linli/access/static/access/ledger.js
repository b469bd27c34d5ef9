// The ledger's two charts; the tables below them hold the same numbers.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("ledger-data").textContent);
  var compare = echarts.init(document.getElementById("ledger-compare"));
  compare.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["之前", "之后"] },
    grid: { left: 110, right: 20, top: 30, bottom: 20 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.compare.map(function (r) { return r.label; }) },
    series: [
      { name: "之前", type: "bar", data: data.compare.map(function (r) { return r.before; }) },
      { name: "之后", type: "bar", data: data.compare.map(function (r) { return r.after; }) },
    ],
  });
  var keys = Object.keys(data.series);
  var per = echarts.init(document.getElementById("ledger-communities"));
  per.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: keys.map(function (k) { return data.labels[k]; }) },
    grid: { left: 40, right: 10, top: 40, bottom: 70 },
    xAxis: { type: "category", data: data.communities, axisLabel: { rotate: 40 } },
    yAxis: { type: "value" },
    series: keys.map(function (k) { return { name: data.labels[k], type: "bar", stack: "t", data: data.series[k] }; }),
  });
  window.addEventListener("resize", function () { compare.resize(); per.resize(); });
});
