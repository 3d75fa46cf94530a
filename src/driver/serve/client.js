// kagu dev server client: live reload that keeps the scroll position, stylesheet swaps without a
// reload, and an overlay listing build errors until they are fixed.
(function () {
  "use strict";
  var KEY = "kagu-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var y = parseInt(saved, 10);
    var restore = function () { window.scrollTo(0, y); };
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }
  function overlay(errors) {
    var box = document.getElementById("kagu-overlay");
    if (!errors || errors.length === 0) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "kagu-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#1d1f21;color:#f8f8f2;font:14px/1.5 ui-monospace,monospace;padding:16px 20px;" +
        "border-top:4px solid #e5484d;box-shadow:0 -8px 24px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var head = document.createElement("strong");
    head.textContent = "kagu: the last edit has " + errors.length + " error(s); still showing the last good build";
    box.appendChild(head);
    errors.forEach(function (e) {
      var p = document.createElement("pre");
      p.style.cssText = "margin:10px 0 0;white-space:pre-wrap";
      var where = e.file ? e.file + ":" + e.line + ":" + e.column + ": " : "";
      p.textContent = where + e.severity + "[" + e.code + "]: " + e.message + (e.hint ? "\n  hint: " + e.hint : "");
      box.appendChild(p);
    });
  }
  function swapCss() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (l) {
      var url = new URL(l.href);
      url.searchParams.set("kagu", Date.now());
      var fresh = l.cloneNode();
      fresh.href = url.toString();
      fresh.onload = function () { l.remove(); };
      l.after(fresh);
    });
  }
  var source = new EventSource("/__kagu/events");
  source.onopen = function () { document.documentElement.setAttribute("data-kagu-live", "connected"); };
  source.onmessage = function (m) {
    var msg = JSON.parse(m.data);
    if (msg.kind === "reload") {
      sessionStorage.setItem(KEY, String(window.scrollY));
      location.reload();
    } else if (msg.kind === "css") {
      overlay([]);
      swapCss();
    } else if (msg.kind === "errors") {
      overlay(msg.errors);
    } else if (msg.kind === "ok") {
      overlay([]);
    }
  };
})();
