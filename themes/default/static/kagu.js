// kagu: the small-screen menu, sidenotes placed beside their markers, note popovers (and, for
// in-text citations, the reference's; for words the glossary explains and links to a claim,
// their card), the theme
// switch and embeds. Without JavaScript every
// marker is a plain link to its note, each in-text citation a link to its reference, sidenotes
// float beside their paragraph and the menu is a <details> disclosure.
(function () {
  "use strict";
  var pop = null, owner = null, hideTimer = null;
  // How the reader last pointed: "mouse", "touch", "pen" or "keyboard". A tap also fires
  // mouseenter and focus; only a real hover or a keyboard focus may open a popover on its own.
  var lastPointer = "mouse";

  // The theme's words, which the page carries on its body (`data-popover-note`, …).
  function word(name) {
    return (document.body && document.body.dataset[name]) || "";
  }
  function escapeText(s) {
    var span = document.createElement("span");
    span.textContent = s;
    return span.innerHTML;
  }
  function sidenoteOf(a) {
    if (!a.parentNode || !a.parentNode.classList.contains("note-ref")) return null;
    var next = a.parentNode.nextElementSibling;
    return next && next.classList.contains("sidenote") ? next : null;
  }
  function sidenoteShown(a) {
    var s = sidenoteOf(a);
    return !!s && getComputedStyle(s).display !== "none";
  }
  function close() {
    clearTimeout(hideTimer);
    if (pop) { pop.remove(); pop = null; }
    if (owner) {
      owner.setAttribute("aria-expanded", "false");
      owner.removeAttribute("aria-describedby");
      owner = null;
    }
  }
  // A popover (a tooltip) for the element with id `of`.
  function newPopover(className, of, html) {
    var p = document.createElement("span");
    p.className = className;
    p.id = "popover-" + of;
    p.setAttribute("role", "tooltip");
    p.innerHTML = html;
    return p;
  }
  // A word the glossary explains, or a link to a claim: its card follows it (hidden), its link
  // leads to the glossary or the claim.
  var terms = 0;
  function openTerm(a) {
    var card = a.nextElementSibling;
    if (!card || !card.classList.contains("term-card")) return;
    if (!a.id) a.id = "term-use-" + (++terms);
    pop = newPopover("note-popover term-popover", a.id, card.innerHTML);
    var more = document.createElement("a");
    more.className = "popover-more";
    more.href = a.getAttribute("href");
    more.textContent = word(a.classList.contains("claim-ref") ? "popoverClaim" : "popoverGlossary");
    pop.appendChild(more);
    card.after(pop);
    return true;
  }
  function open(a) {
    clearTimeout(hideTimer);
    if (owner === a) return;
    close();
    if (a.classList.contains("term") || a.classList.contains("claim-ref")) {
      if (openTerm(a)) placePopover(a);
      return;
    }
    var id = a.getAttribute("href").slice(1);
    var note = document.getElementById(id);
    if (!note) return;
    // An in-text citation shows its entry in the References list.
    var cite = a.classList.contains("citation");
    // The marker's own sidenote carries this citation's locator; the Notes list has the rest.
    var side = sidenoteOf(a), html;
    if (side) {
      var copy = side.cloneNode(true);
      var num = copy.querySelector(".sidenote-number");
      if (num) num.remove();
      copy.querySelectorAll("[tabindex]").forEach(function (e) { e.removeAttribute("tabindex"); });
      html = copy.innerHTML;
    } else {
      var body = note.querySelector(cite ? ".source-entry" : ".note-body");
      html = body ? body.innerHTML : "";
    }
    var sup = cite ? a : a.parentNode;
    pop = newPopover("note-popover", sup.id, cite
      ? html + '<a class="popover-more" href="#' + id + '">' + escapeText(word("popoverReference")) + "</a>"
      : '<span class="popover-number">' + a.textContent + "</span> " + html +
        '<a class="popover-more" href="#' + id + '">' +
        escapeText(word("popoverNote").replace("{n}", id.replace("note-", ""))) + "</a>");
    // Right after the marker (and its sidenote), so that Tab goes from the marker into the
    // popover's links.
    (side || sup).after(pop);
    placePopover(a);
  }
  // Puts the popover under its marker, inside the window, and ties the two together.
  function placePopover(a) {
    var vw = document.documentElement.clientWidth;
    var w = Math.min(360, vw - 16);
    pop.style.width = w + "px";
    var r = a.getBoundingClientRect();
    var base = (pop.offsetParent || document.body).getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left + r.width / 2 - w / 2, vw - w - 8));
    pop.style.left = (left - base.left) + "px";
    pop.style.top = (r.bottom - base.top + 6) + "px";
    a.setAttribute("aria-expanded", "true");
    a.setAttribute("aria-describedby", pop.id);
    owner = a;
    pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    pop.addEventListener("mouseleave", later);
    pop.addEventListener("focusin", function () { clearTimeout(hideTimer); });
    pop.addEventListener("focusout", function (e) { if (!pop || !pop.contains(e.relatedTarget)) later(); });
  }
  function later() { clearTimeout(hideTimer); hideTimer = setTimeout(close, 250); }

  function setupNotes() {
    var refs = document.querySelectorAll('.note-ref a[href^="#note-"], a.citation[href^="#bib-"], a.term, a.claim-ref');
    Array.prototype.forEach.call(refs, function (a) {
      a.setAttribute("aria-expanded", "false");
      a.addEventListener("mouseenter", function () {
        if (lastPointer === "mouse" && !sidenoteShown(a)) open(a);
      });
      a.addEventListener("mouseleave", function () { if (lastPointer === "mouse") later(); });
      a.addEventListener("focus", function () {
        if (lastPointer === "keyboard" && !sidenoteShown(a)) open(a);
      });
      a.addEventListener("blur", function (e) {
        if (lastPointer === "keyboard" && !(pop && pop.contains(e.relatedTarget))) later();
      });
      // A tap opens the note over the text instead of jumping to the list; a second tap on
      // the marker closes it. The popover's own link still leads to the list.
      a.addEventListener("click", function (e) {
        if (sidenoteShown(a) || (lastPointer !== "touch" && lastPointer !== "pen")) return;
        e.preventDefault();
        if (owner === a) close(); else open(a);
      });
    });
    document.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || "mouse"; }, true);
    document.addEventListener("keydown", function (e) {
      lastPointer = "keyboard";
      if (e.key === "Escape" && pop) {
        var back = pop.contains(document.activeElement) ? owner : null;
        close();
        // Back to the marker, without opening the popover again.
        if (back) { lastPointer = "escape"; back.focus(); lastPointer = "keyboard"; }
      }
    }, true);
    // A tap or a click anywhere else closes the popover.
    var outside = function (e) {
      if (pop && !pop.contains(e.target) && !(owner && owner.contains(e.target))) close();
    };
    document.addEventListener("pointerdown", outside);
    document.addEventListener("click", outside);
    window.addEventListener("hashchange", close);
  }

  // Each sidenote level with its marker's line, below the one before it. One that the notes
  // above would push more than half a window below its marker (a chain of long notes) is not
  // shown: its marker opens it as a popover, as on a phone. Measured again whenever the text
  // column changes size (a resize, a font or an image arriving).
  function setupSidenotes() {
    var content = document.querySelector(".explainer .content");
    if (!content) return;
    var notes = content.querySelectorAll(".sidenote");
    if (!notes.length) return;
    function place() {
      var shown = getComputedStyle(notes[0]).display !== "none";
      content.classList.toggle("sidenotes-placed", shown);
      if (!shown) return;
      var top0 = content.getBoundingClientRect().top;
      var bottom = -Infinity;
      var reach = window.innerHeight / 2;
      Array.prototype.forEach.call(notes, function (n) {
        var marker = n.previousElementSibling || n;
        var level = marker.getBoundingClientRect().top - top0;
        var top = Math.max(level, bottom + 8);
        var far = top - level > reach;
        n.classList.toggle("sidenote-far", far);
        if (far) return;
        // Placed within its positioned block (a timeline's event), level with the marker.
        var parent = n.offsetParent;
        var shift = parent && parent !== content ? parent.getBoundingClientRect().top - top0 : 0;
        n.style.top = (top - shift) + "px";
        bottom = top + n.offsetHeight;
      });
    }
    place();
    if (window.ResizeObserver) new ResizeObserver(place).observe(content);
    window.addEventListener("load", place);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(place);
  }

  // The menu is open beside the article on wide screens and closed above it on small ones
  // (base.html sets it before the first paint); crossing the width opens or closes it.
  function setupMenu() {
    var menu = document.querySelector(".site-menu");
    if (!menu) return;
    var wide = window.matchMedia("(min-width: 60rem)");
    var follow = function () { menu.open = wide.matches; };
    if (wide.addEventListener) wide.addEventListener("change", follow);
  }

  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    var root = document.documentElement;
    function dark() {
      var t = root.getAttribute("data-theme");
      return t ? t === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    }
    function label() {
      button.textContent = word(dark() ? "lightTheme" : "darkTheme");
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
    setupMenu();
    setupThemeToggle();
    setupEmbeds();
    setupSidenotes();
    setupNotes();
  });
})();
