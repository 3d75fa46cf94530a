// kagu: the search field, the small-screen menu, sidenotes placed beside their markers, note popovers (and, for
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


  // Search: the header's field asks Pagefind's index of this edition (loaded on first use) and
  // lists the best matches as a listbox under it: the page, the heading or entry, an excerpt
  // with the words marked. `/` focuses it; arrows pick, Enter goes, Escape closes.
  function setupSearch() {
    var box = document.querySelector(".site-search[data-root]");
    if (!box) return;
    var input = box.querySelector("input");
    var list = box.querySelector(".search-results");
    var status = box.querySelector(".search-status");
    var root = new URL(box.getAttribute("data-root") || "./", location.href);
    var api = null, options = [], active = -1, asked = 0;
    box.hidden = false;
    function load() {
      if (!api) {
        api = import(new URL("pagefind/pagefind.js", root).href).then(function (p) {
          return p.options({ baseUrl: root.pathname }).then(function () { return p; });
        });
      }
      return api;
    }
    function pick(i) {
      active = i;
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function open(shown) {
      list.hidden = !shown;
      input.setAttribute("aria-expanded", shown ? "true" : "false");
      if (!shown) pick(-1);
    }
    // A result: its page, and the spot in it to go to: the heading or entry whose title has a
    // word of the query, or else the best-matching one.
    function option(d, i, words) {
      var subs = d.sub_results || [];
      var sub = subs.filter(function (s) {
        var title = (s.title || "").toLowerCase();
        return words.some(function (w) { return title.indexOf(w) >= 0; });
      })[0] || subs[0];
      var a = document.createElement("a");
      a.className = "search-result";
      a.id = "search-result-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.tabIndex = -1;
      a.href = (sub && sub.url) || d.url;
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = (d.meta && d.meta.title) || d.url;
      a.appendChild(title);
      if (sub && sub.title && sub.title !== title.textContent) {
        var heading = document.createElement("span");
        heading.className = "search-heading";
        heading.textContent = sub.title;
        a.appendChild(heading);
      }
      var excerpt = document.createElement("span");
      excerpt.className = "search-excerpt";
      // Pagefind's excerpt: the page's own text, escaped, with <mark> around the matches.
      excerpt.innerHTML = (sub && sub.excerpt) || d.excerpt || "";
      a.appendChild(excerpt);
      a.addEventListener("mousedown", function (e) { e.preventDefault(); });
      return a;
    }
    function show(data, query) {
      list.textContent = "";
      var words = query.toLowerCase().split(/\s+/).filter(Boolean);
      options = data.map(function (d, i) { return option(d, i, words); });
      options.forEach(function (o) { list.appendChild(o); });
      if (!options.length) {
        var none = document.createElement("p");
        none.className = "search-none";
        none.textContent = box.getAttribute("data-none").replace("{query}", query);
        list.appendChild(none);
        status.textContent = none.textContent;
      } else {
        status.textContent = box.getAttribute("data-count").replace("{n}", String(options.length));
      }
      open(true);
    }
    input.addEventListener("focus", function () { load().catch(function () {}); });
    input.addEventListener("input", function () {
      var query = input.value.trim();
      var mine = ++asked;
      if (!query) { list.textContent = ""; options = []; status.textContent = ""; open(false); return; }
      load().then(function (p) { return p.debouncedSearch(query, {}, 120); }).then(function (search) {
        if (!search || mine !== asked) return null;
        return Promise.all(search.results.slice(0, 8).map(function (r) { return r.data(); }))
          .then(function (data) { if (mine === asked) show(data, query); });
      }).catch(function () {
        status.textContent = box.getAttribute("data-unavailable");
      });
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        if (list.hidden) open(true);
        // Past either end, back to the field (-1).
        var next = active + (e.key === "ArrowDown" ? 1 : -1);
        pick(next >= options.length ? -1 : next < -1 ? options.length - 1 : next);
      } else if (e.key === "Enter") {
        var chosen = options[active >= 0 ? active : 0];
        if (chosen && !list.hidden) { e.preventDefault(); location.href = chosen.href; }
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); e.stopPropagation(); open(false); }
        else if (input.value) { input.value = ""; status.textContent = ""; }
      }
    });
    input.addEventListener("blur", function () { setTimeout(function () { open(false); }, 150); });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
    setupSearch();
    setupThemeToggle();
    setupEmbeds();
    setupSidenotes();
    setupNotes();
  });
})();
