// kagu: note popovers. Without JavaScript every marker is a plain link to its note.
(function () {
  "use strict";
  var pop = null, owner = null, hideTimer = null;
  function close() {
    if (pop) { pop.remove(); pop = null; }
    if (owner) { owner.setAttribute("aria-expanded", "false"); owner = null; }
  }
  function open(a) {
    var id = a.getAttribute("href").slice(1);
    var note = document.getElementById(id);
    if (!note) return;
    if (owner === a) return;
    close();
    var body = note.querySelector(".note-body");
    pop = document.createElement("div");
    pop.className = "note-popover";
    pop.id = "popover-" + id;
    pop.setAttribute("role", "tooltip");
    pop.innerHTML = '<span class="popover-number">' + a.textContent + "</span> " + (body ? body.innerHTML : "");
    document.body.appendChild(pop);
    var r = a.getBoundingClientRect();
    var w = Math.min(360, document.documentElement.clientWidth - 16);
    pop.style.width = w + "px";
    var left = Math.max(8, Math.min(r.left + window.scrollX - w / 2, window.scrollX + document.documentElement.clientWidth - w - 8));
    pop.style.left = left + "px";
    pop.style.top = (r.bottom + window.scrollY + 6) + "px";
    a.setAttribute("aria-expanded", "true");
    a.setAttribute("aria-describedby", pop.id);
    owner = a;
    pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    pop.addEventListener("mouseleave", later);
  }
  function later() { clearTimeout(hideTimer); hideTimer = setTimeout(close, 250); }
  var wide = window.matchMedia("(min-width: 80rem)");
  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    var root = document.documentElement;
    function dark() {
      var t = root.getAttribute("data-theme");
      return t ? t === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    }
    function label() {
      button.textContent = dark() ? "Light theme" : "Dark theme";
      button.setAttribute("aria-pressed", dark() ? "true" : "false");
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("kagu-theme", next); } catch (e) { /* private mode */ }
      label();
    });
  }
  // Embeds: nothing is fetched from the provider until the reader asks for it.
  function setupEmbeds() {
    document.querySelectorAll(".embed[data-embed]").forEach(function (box) {
      var button = box.querySelector(".embed-load");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var frame = document.createElement("iframe");
        frame.src = box.getAttribute("data-embed");
        frame.title = box.getAttribute("data-title") || "";
        frame.setAttribute("allowfullscreen", "");
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        button.parentNode.replaceWith(frame);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    setupThemeToggle();
    setupEmbeds();
    var refs = document.querySelectorAll('.note-ref a[href^="#note-"]');
    Array.prototype.forEach.call(refs, function (a) {
      a.setAttribute("aria-expanded", "false");
      // Wide screens show the note beside the text already: no popover there.
      a.addEventListener("mouseenter", function () { if (!wide.matches) { clearTimeout(hideTimer); open(a); } });
      a.addEventListener("mouseleave", later);
      a.addEventListener("focus", function () { if (!wide.matches) open(a); });
      a.addEventListener("blur", later);
      a.addEventListener("click", function (e) {
        if (window.matchMedia("(hover: none)").matches && owner !== a) { e.preventDefault(); open(a); }
      });
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
    document.addEventListener("click", function (e) {
      if (pop && !pop.contains(e.target) && !(owner && owner.contains(e.target))) close();
    });
  });
})();
