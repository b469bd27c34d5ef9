/* Draws the dashboard's charts from the JSON embedded in the page (#dashboard-data).
   Each chart's numbers are also in the data table next to it; nothing here is needed to read them. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var texts = data.texts || {};
  var charts = [];

  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function pct(value) {
    return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%";
  }

  var tooltipBox = "white-space:normal;max-width:300px;";

  function rateChart(table) {
    var rateColumns = table.columns.filter(function (c) { return c.kind === "rate"; });
    var months = table.rows.map(function (row) { return row.month; });
    return {
      tooltip: { trigger: "item", confine: true, extraCssText: tooltipBox,
        formatter: function (p) {
          var cell = p.data.cell || {};
          var rate = data.rates[p.data.key] || {};
          return "<b>" + esc(p.name) + " " + esc(p.seriesName) + "：" + pct(cell.value) + "</b><br>" +
            esc(texts.numerator) + " " + esc(cell.numerator) + " / " + esc(texts.denominator) + " " + esc(cell.denominator) +
            "<br><small>" + esc(texts.formula) + "：" + esc(rate.formula) + "</small>";
        } },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: months, boundaryGap: true },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: rateColumns.map(function (c) {
        return {
          name: c.label, type: "line", connectNulls: false, symbolSize: 7,
          data: table.rows.map(function (row) {
            var cell = row[c.key] || {};
            return { value: cell.value === null || cell.value === undefined ? null : +(cell.value * 100).toFixed(2), cell: cell, key: c.key };
          })
        };
      })
    };
  }

  function countTooltip(p) {
    return "<b>" + esc(p.name) + "</b><br>" + esc(texts.count) + "：" + esc(p.data.count) +
      "<br>" + esc(texts.share) + "：" + pct(p.data.share);
  }

  function barChart(table, top) {
    var rows = table.rows.slice(0, top || table.rows.length);
    return {
      tooltip: { trigger: "item", confine: true, extraCssText: tooltipBox, formatter: countTooltip },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }),
        axisLabel: { width: 96, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(function (r) { return { value: r.count, count: r.count, share: r.share, name: r.name }; }) }]
    };
  }

  function pieChart(table) {
    return {
      tooltip: { trigger: "item", confine: true, extraCssText: tooltipBox, formatter: countTooltip },
      legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], label: { formatter: "{b}\n{d}%" },
        data: table.rows.map(function (r) { return { value: r.count, count: r.count, share: r.share, name: r.name }; }) }]
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var key = node.getAttribute("data-chart");
    var table = data.tables[key];
    if (!table) { return; }
    if (!table.rows.length) {
      node.classList.add("empty");
      node.textContent = texts.empty || "";
      return;
    }
    var kind = node.getAttribute("data-kind");
    var option = kind === "rates" ? rateChart(table)
      : kind === "pie" ? pieChart(table)
      : barChart(table, key === "community" ? data.community_top : 0);
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  });

  function resizeAll() { charts.forEach(function (chart) { chart.resize(); }); }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(resizeAll);
    document.querySelectorAll("[data-chart]").forEach(function (node) { observer.observe(node); });
  } else {
    window.addEventListener("resize", resizeAll);
  }
})();
