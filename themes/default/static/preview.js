// weft default theme: link previews. Resting the pointer on a link to another page of the site
// for 300 ms, or reaching it with the keyboard, shows a card with that page's title, its
// description and the start of its text; a link to a heading shows that section. The card is
// made from the linked page itself, fetched once and kept for the visit, so weft writes no file
// for it. Without JavaScript, and on touch screens, a link is only a link.
//
// The card is a tooltip (role="tooltip"), not a dialog: it opens without taking the focus and
// closes when the focus or the pointer leaves, which is what a tooltip promises and a dialog
// (which a screen reader announces, and expects the focus in) does not. While it shows, the
// link's aria-describedby names its head, so a screen reader reads the link as before with the
// page's title and description (or the section's heading) after it; the rest of the card is on
// the page the link leads to. Its links can be clicked but are out of the tab order, so the
// focus never lands, or gets caught, in a card that closes when the focus leaves its link.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !Element.prototype.closest) return;

  var DELAY = 300;  // ms of hover or focus before a card opens
  var GRACE = 300;  // ms to move the pointer from a link onto its card
  var BUDGET = 600; // characters of text in a card: a paragraph or two
  var MARGIN = 8;   // px between the card and the link, and the window's edges
  var HEAD = "weftPreviewHead";
  // What a card leaves out: media (a card fetches one page, nothing more), controls, scripts,
  // the headings' anchors and diagram sources.
  var DROP = "script, style, noscript, iframe, object, embed, img, picture, video, audio, canvas, svg, " +
    "form, button, input, select, textarea, .anchor, .mermaid-source";
  // Attributes that point at ids or the tab order of the page the card came from.
  var STRIP = ["id", "tabindex", "for", "headers", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns"];

  // The site's root is where this script sits (a sub-path too): links outside it are not pages
  // of this site.
  var root = new URL(".", document.currentScript ? document.currentScript.src : location.href);
  var hover = window.matchMedia ? matchMedia("(hover: hover) and (pointer: fine)") : null;
  var pages = {};       // a page's URL, without #fragment -> a promise of its document, or of null
  var card = null;      // the card, made when first needed
  var link = null;      // the link whose card shows or is about to
  var by = "";          // what opened it: "pointer" or "focus"
  var dismissed = null; // a link closed with Escape, which stays closed until left
  var opening, closing; // timers

  // The page a link leads to, if it gets a preview: a page of this site other than this one
  // (not a file such as a PDF or an image), linked from the main column.
  function previewed(a) {
    if (a.hasAttribute("download") || !a.closest("main") || a.closest(".breadcrumbs")) return null;
    var url;
    try { url = new URL(a.getAttribute("href"), document.baseURI); } catch (e) { return null; }
    if (url.origin !== location.origin || url.pathname.indexOf(root.pathname) !== 0) return null;
    if (url.pathname === location.pathname && url.search === location.search) return null;
    if (/\.\w+$/.test(url.pathname) && !/\.html?$/i.test(url.pathname)) return null;
    return url;
  }

  // One request per page, shared by all its links; after a network error the next hover tries
  // again. A page that has moved (weft writes its old address as a page that redirects with
  // <meta http-equiv="refresh">) shows the page it moved to, which a click would open.
  function load(address, moves) {
    if (!pages[address]) {
      pages[address] = fetch(address, { credentials: "same-origin" }).then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (!response.ok || type.indexOf("html") < 0) return null;
        return response.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var refresh = doc.querySelector('meta[http-equiv="refresh" i]');
          var to = refresh && /url=\s*(\S+)/i.exec(refresh.getAttribute("content") || "");
          if (!to) return doc;
          var moved = new URL(to[1], address);
          if ((moves || 0) > 2 || moved.origin !== location.origin) return null;
          return load(moved.href.split("#")[0], (moves || 0) + 1);
        });
      }, function () {
        delete pages[address];
        return null;
      });
    }
    return pages[address];
  }

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }
  function level(node) {
    var match = node && /^H([1-6])$/.exec(node.nodeName);
    return match ? Number(match[1]) : 0;
  }
  function make(tag, className, content) {
    var node = document.createElement(tag);
    node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  // What a card shows of a page: for a heading, the heading and what follows it up to the next
  // heading of the same or a higher level; else the first blocks of the content. Either stops
  // after about BUDGET characters.
  function excerpt(doc, hash) {
    var heading = null;
    try { heading = hash && doc.getElementById(decodeURIComponent(hash.slice(1))); } catch (e) {}
    var top = level(heading);
    var content = doc.querySelector("article .content") || doc.querySelector(".content");
    var node = top ? heading.nextElementSibling : content && content.firstElementChild;
    var blocks = [];
    for (var length = 0; node && length < BUDGET; node = node.nextElementSibling) {
      if (top && level(node) && level(node) <= top) break;
      blocks.push(node);
      length += node.textContent.length;
    }
    return { heading: top ? heading : null, blocks: blocks };
  }

  // A block of the other page made fit for this one: no media or controls, no ids (they would
  // clash with this page's), links that still lead where they did, and headings as plain
  // paragraphs, so that this page's outline stays its own.
  function adapt(block, address) {
    var copy = document.importNode(block, true);
    if (copy.matches(DROP)) return null;
    var i, j, nodes = copy.querySelectorAll(DROP);
    for (i = 0; i < nodes.length; i++) nodes[i].remove();
    nodes = [copy].concat(Array.prototype.slice.call(copy.querySelectorAll("*")));
    for (i = 0; i < nodes.length; i++) {
      for (j = 0; j < STRIP.length; j++) nodes[i].removeAttribute(STRIP[j]);
      var href = nodes[i].getAttribute("href");
      if (href !== null) nodes[i].setAttribute("href", new URL(href, address).href);
      if (level(nodes[i])) {
        var plain = make("p", "link-preview-heading");
        while (nodes[i].firstChild) plain.appendChild(nodes[i].firstChild);
        if (nodes[i] === copy) copy = plain;
        else nodes[i].parentNode.replaceChild(plain, nodes[i]);
      }
    }
    return copy;
  }

  // Fills the card from the page; false if the page has nothing to show.
  function fill(doc, url) {
    var found = excerpt(doc, url.hash);
    var title = text(doc.querySelector("h1")) || text(doc.querySelector("title"));
    // The default theme shows a page's own description as .lede; without one, its <meta>
    // description is the first paragraph (which the card shows anyway) or the site's.
    var description = doc.querySelector(".page-header") ? text(doc.querySelector(".page-header .lede"))
      : (doc.querySelector('meta[name="description"]') || { content: "" }).content;
    var head = make("div", "link-preview-head");
    head.id = HEAD;
    if (title) head.appendChild(make("p", "link-preview-title", title));
    if (found.heading) head.appendChild(make("p", "link-preview-section", text(adapt(found.heading, url))));
    else if (description) head.appendChild(make("p", "link-preview-description", description));
    var body = make("div", "link-preview-body");
    for (var i = 0; i < found.blocks.length; i++) {
      var block = adapt(found.blocks[i], url);
      if (block) body.appendChild(block);
    }
    if (!head.firstChild && !body.firstChild) return false;
    if (!card) {
      card = make("div", "link-preview");
      card.setAttribute("role", "tooltip");
      card.hidden = true;
      document.body.appendChild(card);
    }
    card.textContent = "";
    card.appendChild(head);
    if (body.firstChild) card.appendChild(body);
    var links = card.querySelectorAll("a, summary");
    for (i = 0; i < links.length; i++) links[i].setAttribute("tabindex", "-1");
    return true;
  }

  // Below the link if the card fits there or has more room there than above, else above; and
  // inside the window either way.
  function place(a) {
    var box = a.getBoundingClientRect();
    var first = a.getClientRects()[0] || box;
    var width = document.documentElement.clientWidth;
    var height = window.innerHeight;
    var h = card.offsetHeight;
    var below = box.bottom + MARGIN + h <= height - MARGIN || box.top < height - box.bottom;
    var top = below ? box.bottom + MARGIN : box.top - MARGIN - h;
    top = Math.max(MARGIN, Math.min(top, height - MARGIN - h));
    var left = Math.max(MARGIN, Math.min(first.left, width - MARGIN - card.offsetWidth));
    card.style.top = top + window.pageYOffset + "px";
    card.style.left = left + window.pageXOffset + "px";
  }

  function describe(a, on) {
    var ids = (a.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && id !== HEAD;
    });
    if (on) ids.push(HEAD);
    if (ids.length) a.setAttribute("aria-describedby", ids.join(" "));
    else a.removeAttribute("aria-describedby");
  }

  function open(a, url) {
    load(url.href.split("#")[0]).then(function (doc) {
      // Another link, or none, may have taken its place while the page came.
      if (link !== a || !doc || !fill(doc, url)) return;
      card.hidden = false;
      var body = card.querySelector(".link-preview-body");
      card.classList.toggle("link-preview-clipped", !!body && body.scrollHeight > body.clientHeight + 1);
      place(a);
      describe(a, true);
    });
  }

  // Waits DELAY before opening a link's card; the card of another link closes at once.
  function later(a, url, how) {
    if (a === link) {
      clearTimeout(closing);
      return;
    }
    if (a === dismissed) return;
    hide();
    link = a;
    by = how;
    opening = setTimeout(function () { open(a, url); }, DELAY);
  }

  function hide() {
    clearTimeout(opening);
    clearTimeout(closing);
    if (link) describe(link, false);
    if (card) card.hidden = true;
    link = null;
  }

  function inCard(node) {
    return !!(card && node && card.contains(node));
  }
  function keyboardFocus(a) {
    try { return a.matches(":focus-visible"); } catch (e) { return true; }
  }

  document.addEventListener("pointerover", function (event) {
    // A tap navigates: no card on touch, nor where the main pointer cannot hover.
    if (event.pointerType === "touch" || !(hover && hover.matches)) return;
    if (inCard(event.target)) {
      clearTimeout(closing);
      return;
    }
    var a = event.target.closest("a[href]");
    var url = a && previewed(a);
    if (url) later(a, url, "pointer");
  });

  // Leaving the link and the card closes it, after GRACE so that the pointer can reach the card.
  document.addEventListener("pointerout", function (event) {
    var to = event.relatedTarget;
    if (dismissed && dismissed.contains(event.target) && !(to && dismissed.contains(to))) dismissed = null;
    if (!link || by !== "pointer" || (to && (link.contains(to) || inCard(to)))) return;
    if (!link.contains(event.target) && !inCard(event.target)) return;
    clearTimeout(closing);
    if (card && !card.hidden) closing = setTimeout(hide, GRACE);
    else hide();
  });

  document.addEventListener("focusin", function (event) {
    if (inCard(event.target)) return;
    var a = event.target.closest && event.target.closest("a[href]");
    var url = a && keyboardFocus(a) && previewed(a);
    if (url) later(a, url, "focus");
  });
  document.addEventListener("focusout", function (event) {
    if (event.target === dismissed) dismissed = null;
    if (link && by === "focus" && event.target === link && !inCard(event.relatedTarget)) hide();
  });

  document.addEventListener("keydown", function (event) {
    if (link && (event.key === "Escape" || event.key === "Esc")) {
      dismissed = link;
      hide();
    }
  });
  window.addEventListener("resize", hide);
  // weft serve swapped in a new version of the page: pages may have changed too.
  document.addEventListener("weft:patched", function () {
    pages = {};
    hide();
  });
})();
