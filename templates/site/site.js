// archkit site glue: pan and zoom on the diagram (svg-pan-zoom), search over the site (MiniSearch).
(function () {
  "use strict";
  var root = document.body.dataset.root || "";
  var svg = document.querySelector(".diagram > svg");
  if (svg && window.svgPanZoom) {
    window.archkitPanZoom = window.svgPanZoom(svg, { zoomEnabled: true, controlIconsEnabled: true, fit: true,
      center: true, minZoom: 0.2, maxZoom: 20 });
  }
  var box = document.getElementById("search");
  var list = document.getElementById("search-results");
  if (!box || !window.MiniSearch || !window.ARCHKIT_SEARCH) { return; }
  var index = new window.MiniSearch({ fields: ["title", "text", "fields"], storeFields: ["title", "kind", "url"],
    searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 2 } } });
  index.addAll(window.ARCHKIT_SEARCH);
  box.addEventListener("input", function () {
    list.textContent = "";
    var query = box.value.trim();
    var hits = query ? index.search(query).slice(0, 12) : [];
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.url;
      link.textContent = hit.title;
      var kind = document.createElement("small");
      kind.textContent = hit.kind;
      link.appendChild(kind);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = hits.length === 0;
  });
})();
