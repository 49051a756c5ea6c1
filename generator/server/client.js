// Folio preview: live reload, in-place stylesheet swaps and the build-problems overlay.
// Injected into HTML responses by `folio serve` only; never written to output/.
(function () {
  var version = __FOLIO_VERSION__, server = null;
  var source = new EventSource("/__folio/events");
  function overlay(problems) {
    var box = document.getElementById("folio-overlay");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "folio-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;" +
        "z-index:2147483647;background:#fff5f5;color:#5c0a0a;border-bottom:4px solid #b00020;" +
        "font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;padding:16px 20px;" +
        "box-shadow:0 4px 18px rgba(0,0,0,.25)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Folio could not build the site (" + problems.length + " problem" +
      (problems.length === 1 ? "" : "s") + "). Showing the last good build.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:8px 0 0;padding-left:20px";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      var where = document.createElement("b");
      where.className = "folio-problem-file";
      where.textContent = p.file ? p.file + (p.line ? ":" + p.line : "") + ": " : "";
      item.appendChild(where);
      item.appendChild(document.createTextNode(p.message));
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  function swapStyles() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("folio", Date.now());
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { link.remove(); };
      link.after(fresh);
    });
  }
  source.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    if ((server && d.server !== server) || d.version !== version) { location.reload(); return; }
    server = d.server;
    overlay(d.problems);
    window.__folioReady = true;
  });
  source.addEventListener("reload", function (e) {
    // the build names the pages it changed: another page stays as it is (and is current)
    var d = JSON.parse(e.data || "{}"), here = decodeURIComponent(location.pathname);
    var folder = here.replace(/\/index\.html$/, "/");
    if (d.pages && d.pages.indexOf(here) < 0 && d.pages.indexOf(folder) < 0) {
      version = d.version;
      overlay([]);
      return;
    }
    location.reload();
  });
  source.addEventListener("css", function (e) {
    version = JSON.parse(e.data).version;
    overlay([]);
    swapStyles();
  });
  source.addEventListener("problems", function (e) { overlay(JSON.parse(e.data).problems); });
  source.addEventListener("ok", function () { overlay([]); });
  source.onerror = function () { window.__folioReady = false; };
})();
