// archkit watch: keep this page in step with the output folder via server-sent events.
// On the preview page: swap changed pictures and texts in place, show or hide the model error, and
// reload the page when the list of diagrams changes. On any other HTML page: reload after a render.
(function () {
  "use strict";
  var preview = document.getElementById("archkit-preview");
  var generation = preview ? Number(preview.dataset.generation) : -1;
  var listing = preview ? preview.dataset.listing : null;

  function url(path, version) {
    return "/" + path.split("/").map(encodeURIComponent).join("/") + "?v=" + version;
  }

  function showError(error) {
    var box = document.getElementById("archkit-error");
    if (!box) return;
    box.querySelector("pre").textContent = error || "";  // textContent: the error is never parsed as HTML
    box.hidden = !error;
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
    if (!preview) {
      if (!first) location.reload();
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
