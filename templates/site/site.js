// archkit site glue: pan and zoom on the diagram (svg-pan-zoom), search over the site (MiniSearch).
(function () {
  "use strict";
  var root = document.body.dataset.root || "";
  var svg = document.querySelector(".diagram > svg");
  if (svg && window.svgPanZoom) {
    // The zoom and pan of each page are kept for the tab (sessionStorage): a reload (watch --serve redraws
    // the page after a save) or a way back to the view shows the picture where the user left it.
    var key = "archkit-view:" + (document.body.dataset.page || location.pathname);
    var panZoom = null;
    var remember = function () {
      if (!panZoom) { return; }
      try {
        sessionStorage.setItem(key, JSON.stringify({ zoom: panZoom.getZoom(), pan: panZoom.getPan() }));
      } catch (e) { /* storage off (private mode, file:// in some browsers): nothing to keep */ }
    };
    panZoom = window.svgPanZoom(svg, { zoomEnabled: true, controlIconsEnabled: true, fit: true,
      center: true, minZoom: 0.2, maxZoom: 20, onZoom: remember, onPan: remember });
    window.archkitPanZoom = panZoom;
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && typeof kept.zoom === "number" && kept.pan) {
      panZoom.zoom(kept.zoom);
      panZoom.pan(kept.pan);
    }
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
// The element panel: a click on a box shows what the element is, uses, publishes and consumes. A box that
// links one level down (C4-PlantUML's $link) shows the panel too, with that link at its top.
(function () {
  "use strict";
  var root = document.body.dataset.root || "";
  var facts = window.ARCHKIT_ELEMENTS || {};
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");
  if (!panel) { return; }
  function add(parent, tag, text, href) {
    var node = document.createElement(href ? "a" : tag);
    if (href) { node.href = href; }
    node.textContent = text;
    if (href && tag !== "a") { var wrap = document.createElement(tag); wrap.appendChild(node); node = wrap; }
    parent.appendChild(node);
    return node;
  }
  function list(title, items, render) {
    if (!items || !items.length) { return; }
    add(body, "h3", title);
    var ul = add(body, "ul", "");
    items.forEach(function (item) { render(add(ul, "li", ""), item); });
  }
  function message(li, use) {
    add(li, "a", use.event, root + use.eventPage);
    li.appendChild(document.createTextNode(" on "));
    add(li, "a", use.channel, root + use.channelPage);
    if (use.group) { li.appendChild(document.createTextNode(" (group " + use.group + ")")); }
    if (use.routing_key) { li.appendChild(document.createTextNode(" (routing key " + use.routing_key + ")")); }
  }
  function show(key, drillDown) {
    var fact = facts[key];
    if (!fact) { return false; }
    body.textContent = "";
    add(body, "h2", fact.name);
    add(body, "p", fact.kind + (fact.technology ? " \u00b7 " + fact.technology : "") +
        (fact.replicas ? " \u00b7 " + fact.replicas + " replicas" : ""));
    if (drillDown) { add(body, "p", "Open the view one level down", drillDown).className = "drill-down"; }
    if (fact.description) { add(body, "p", fact.description); }
    list("Uses", fact.uses, function (li, text) { li.textContent = text; });
    list("Used by", fact.usedBy, function (li, text) { li.textContent = text; });
    list("Publishes", fact.publishes, message);
    list("Consumes", fact.consumes, message);
    list("Views", fact.views, function (li, name) { add(li, "a", name, root + "c4/" + name + ".html"); });
    if (fact.asyncapi) { add(body, "p", "AsyncAPI document", root + fact.asyncapi); }
    panel.hidden = false;
    return true;
  }
  // The open panel is named in the address (#element=KEY), so a reload (watch --serve after a save) or a
  // shared link opens it again.
  function remember(key) {
    try { history.replaceState(null, "", key ? "#element=" + encodeURIComponent(key) : location.pathname); }
    catch (e) { /* an address the browser will not rewrite: the panel just is not remembered */ }
  }
  function keyOf(box) { return (box.getAttribute("data-qualified-name") || "").split(".").pop(); }
  function drillDownOf(box) { var link = box && box.querySelector("a"); return link ? link.getAttribute("href") : ""; }
  document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; remember(""); });
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".diagram g.entity"));
  boxes.forEach(function (box) {
    box.addEventListener("click", function (event) {
      if (show(keyOf(box), drillDownOf(box))) { event.preventDefault(); remember(keyOf(box)); }
    });
  });
  var wanted = /[#&]element=([^&]+)/.exec(location.hash);
  if (wanted) {
    var key = decodeURIComponent(wanted[1]);
    show(key, drillDownOf(boxes.filter(function (box) { return keyOf(box) === key; })[0]));
  }
})();
