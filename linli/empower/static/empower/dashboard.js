/* The empowerment dashboard's chart: hours served and workshop income per community, this period and the last. */
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("empower-chart");
    var data = JSON.parse(document.getElementById("empower-chart-data").textContent);
    if (!el || !window.echarts || !data.names.length) { if (el) el.hidden = true; return; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { top: 40, left: 50, right: 60, bottom: 60 },
      xAxis: { type: "category", data: data.names, axisLabel: { rotate: 30 } },
      yAxis: [{ type: "value" }, { type: "value" }],
      series: data.series.map(function (s) { return { name: s.name, type: "bar", yAxisIndex: s.y || 0, data: s.data }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
