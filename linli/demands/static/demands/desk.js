// The work-order desk: "select all on this page" for batch forms, and the searchable unit picker.
// Progressive enhancement: without this script the checkboxes and the plain selects still work.
(function () {
  function selectAll(root) {
    root.querySelectorAll("input[data-select-all]").forEach(function (box) {
      if (box.dataset.bound) return;
      box.dataset.bound = "1";
      box.addEventListener("change", function () {
        var form = box.form || document.getElementById(box.getAttribute("form"));
        if (!form) return;
        form.querySelectorAll("input[type=checkbox][name=id]").forEach(function (c) { c.checked = box.checked; });
        document.querySelectorAll('input[type=checkbox][name=id][form="' + form.id + '"]').forEach(function (c) { c.checked = box.checked; });
      });
    });
  }

  function text(option) { return (option.textContent || "").trim(); }

  // A single select: an input above it filters its options as the person types.
  function filterSelect(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "unit-filter";
    input.placeholder = select.dataset.filterPlaceholder || "";
    input.setAttribute("aria-label", select.dataset.filterPlaceholder || "");
    input.addEventListener("input", function () {
      var q = input.value.trim();
      var first = null;
      Array.prototype.forEach.call(select.options, function (o) {
        var show = !q || !o.value || text(o).indexOf(q) !== -1;
        o.hidden = !show;
        if (show && o.value && !first) first = o;
      });
      if (q && first && select.selectedOptions.length && select.selectedOptions[0].hidden) first.selected = true;
    });
    select.parentNode.insertBefore(input, select);
  }

  // A multiple select: the chosen units as removable chips, an input that narrows the list and offers matches.
  function chips(select) {
    var box = document.createElement("div");
    box.className = "chips";
    var list = document.createElement("span");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "unit-filter";
    input.placeholder = select.dataset.filterPlaceholder || "";
    input.setAttribute("aria-label", select.dataset.filterPlaceholder || "");
    var found = document.createElement("div");
    found.className = "chip-matches";
    function draw() {
      list.innerHTML = "";
      Array.prototype.forEach.call(select.selectedOptions, function (o) {
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        chip.textContent = text(o) + " ×";
        chip.title = select.dataset.removeLabel || "";
        chip.addEventListener("click", function () { o.selected = false; draw(); });
        list.appendChild(chip);
      });
    }
    input.addEventListener("input", function () {
      found.innerHTML = "";
      var q = input.value.trim();
      Array.prototype.forEach.call(select.options, function (o) { o.hidden = !!q && text(o).indexOf(q) === -1; });
      if (!q) return;
      var n = 0;
      Array.prototype.forEach.call(select.options, function (o) {
        if (n >= 8 || o.selected || text(o).indexOf(q) === -1) return;
        n++;
        var add = document.createElement("button");
        add.type = "button";
        add.className = "chip-add";
        add.textContent = "+ " + text(o);
        add.addEventListener("click", function () { o.selected = true; input.value = ""; found.innerHTML = ""; draw(); });
        found.appendChild(add);
      });
    });
    // the select stays (keyboard users and the label point at it); the chips follow its selection
    select.addEventListener("change", draw);
    box.appendChild(list);
    box.appendChild(input);
    box.appendChild(found);
    select.parentNode.insertBefore(box, select);
    draw();
  }

  function pickers(root) {
    root.querySelectorAll("select[data-unit-picker]").forEach(function (select) {
      if (select.dataset.bound) return;
      select.dataset.bound = "1";
      if (select.multiple) chips(select); else filterSelect(select);
    });
  }

  function init(root) { selectAll(root); pickers(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (e) { init(e.target || document); });
})();
