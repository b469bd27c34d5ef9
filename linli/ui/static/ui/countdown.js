// Refresh every deadline countdown once a minute. The server renders the first value; this keeps it true.
(function () {
  var lang = document.documentElement.lang || "zh-hans";
  var en = lang.indexOf("en") === 0;
  function span(ms) {
    var m = Math.floor(Math.abs(ms) / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), mm = m % 60;
    if (en) return (d ? d + "d " + h + "h" : h ? h + "h " + mm + "m" : mm + "m");
    return (d ? d + "天" + h + "小时" : h ? h + "小时" + mm + "分" : mm + "分");
  }
  function tick() {
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var ms = new Date(el.dataset.due).getTime() - Date.now();
      if (isNaN(ms)) return;
      el.textContent = en ? (ms < 0 ? "overdue " + span(ms) : span(ms) + " left") : (ms < 0 ? "已超期 " : "还剩 ") + span(ms);
      el.classList.toggle("overdue", ms < 0);
    });
  }
  setInterval(tick, 60000);
  document.addEventListener("htmx:afterSettle", tick);
})();
