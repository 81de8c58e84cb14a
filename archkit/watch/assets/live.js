// archkit watch: keep this page in step with the output folder via server-sent events.
// On the preview page: swap changed pictures and texts in place, show or hide the model error, and
// reload the page when the list of diagrams changes. On any other HTML page: reload after a render (a
// page of the site: after a render that changed the site), and show the model's error on top of it.
(function () {
  "use strict";
  var preview = document.getElementById("archkit-preview");
  var generation = preview ? Number(preview.dataset.generation) : -1;
  var listing = preview ? preview.dataset.listing : null;

  function url(path, version) {
    return "/" + path.split("/").map(encodeURIComponent).join("/") + "?v=" + version;
  }

  // The error box: the preview page has one; any other page (the site) gets one on top when needed.
  function showError(error) {
    var box = document.getElementById("archkit-error");
    if (!box && !error) return;
    if (!box) {
      box = document.createElement("div");
      box.id = "archkit-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:1000;max-height:40vh;overflow:auto;" +
        "background:#fdecea;color:#611a15;border-bottom:2px solid #d9534f;padding:8px 16px;font:13px monospace";
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap";
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = error || "";  // textContent: the error is never parsed as HTML
    box.hidden = !error;
  }

  // A page of the site: its folder in the output (the page knows its own path inside the site).
  var sitePage = document.body.dataset.page;
  var site = sitePage && location.pathname.endsWith(sitePage) ?
    decodeURIComponent(location.pathname.slice(1, location.pathname.length - sitePage.length)) : null;
  function touchesSite(state) {
    return state.written.concat(state.removed).some(function (path) { return path.indexOf(site) === 0; });
  }

  // Swap every element showing `path` to its new version; resolves once the browser has it.
  function refresh(path, version) {
    var swaps = [];
    document.querySelectorAll("[data-file]").forEach(function (el) {
      if (el.dataset.file !== path) return;
      if (el.tagName === "IMG") {
        swaps.push(new Promise(function (done) {
          var next = new Image();  // load first, then swap, so the picture never flickers to empty
          next.onload = function () { el.src = next.src; done(); };
          next.onerror = done;
          next.src = url(path, version);
        }));
      } else {
        swaps.push(fetch(url(path, version), { cache: "no-store" })
          .then(function (r) { return r.text(); })
          .then(function (text) { el.textContent = text; }, function () {}));
      }
    });
    return Promise.all(swaps);
  }

  var events = new EventSource("/__archkit__/events");
  events.addEventListener("render", function (message) {
    var state = JSON.parse(message.data);
    if (state.generation === generation) return;  // the state this page was built from
    var first = generation === -1;
    generation = state.generation;
    if (!preview) {  // the site keeps the last good pages under the error; its script keeps view and zoom
      showError(state.error);
      if (!first && !state.error && (site === null || touchesSite(state))) location.reload();
      return;
    }
    showError(state.error);
    if (state.listing !== listing) { location.reload(); return; }
    Promise.all(state.written.map(function (path) { return refresh(path, state.generation); }))
      .then(function () {
        if (state.generation > Number(preview.dataset.shown)) preview.dataset.shown = String(state.generation);
      });  // for tests and benchmarks
    var status = document.getElementById("archkit-status");
    if (status) status.textContent = "live preview · generation " + state.generation + " · " +
      (state.error ? "model error" : "updated " + new Date().toLocaleTimeString());
  });
})();
