// weft default theme: pan, zoom and "find a page" on the map (/map/). weft draws the map at
// build time as SVG; without this script it is that drawing, scrolled sideways on a narrow
// screen, with the list of every page under it.
//
// Zooming changes the drawing's viewBox, which costs the same at 10,000 pages as at 30, and
// sets --map-zoom, by which the stylesheet keeps lines and labels their size on screen while
// the dots grow. On a large site weft draws only the labelled pages as links; the others of a
// section are one path of dots, in the order of the section's list under the map, so the
// script reads each dot's page from that list: hovering a dot names it, clicking opens it, and
// "find a page" finds it.
(function () {
  "use strict";
  var svg = document.querySelector("svg.site-map");
  if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !Element.prototype.closest) return;
  var figure = svg.closest(".map-figure") || svg.parentNode;
  var NS = "http://www.w3.org/2000/svg";
  var FONT = 13;          // the labels' size at zoom 1 (the stylesheet's .site-map font size)
  var MAX_ZOOM = 40;
  var STEP = 1.5;         // one press of + or -
  var DRAG = 4;           // px the pointer moves before a press becomes a drag
  var base = svg.viewBox.baseVal;
  var home = { x: base.x, y: base.y, w: base.width, h: base.height };
  var view = { x: home.x, y: home.y, w: home.w, h: home.h };
  var halo = document.querySelector("#weftMapHalo feMorphology");
  var haloRadius = halo ? Number(halo.getAttribute("radius")) : 0;
  var labels = [];        // each label with its dot, to keep it beside the dot when zooming
  var index = null;       // every page on the map, made when first needed
  var pending = false;
  var status, input, choices, mark, peek;
  // The words, in the page's language, from the figure's data-* attributes (map.html); English
  // when a template leaves them out.
  function word(key, english) { return figure.getAttribute("data-" + key) || english; }

  function zoom() { return home.w / view.w; }

  // Keeps the view within 1x and MAX_ZOOM, and its centre on the drawing.
  function clamp() {
    var w = Math.min(home.w, Math.max(home.w / MAX_ZOOM, view.w));
    var h = w * home.h / home.w;
    var cx = Math.min(home.x + home.w, Math.max(home.x, view.x + view.w / 2));
    var cy = Math.min(home.y + home.h, Math.max(home.y, view.y + view.h / 2));
    view = { x: cx - w / 2, y: cy - h / 2, w: w, h: h };
  }

  function draw() {
    pending = false;
    var z = zoom();
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) { return Math.round(v * 100) / 100; }).join(" "));
    svg.style.setProperty("--map-zoom", String(Math.round(z * 1000) / 1000));
    if (halo) halo.setAttribute("radius", String(haloRadius / z));
    for (var i = 0; i < labels.length; i++) place(labels[i], z);
    if (mark) place(mark.label, z);
    if (peek) place(peek.label, z);
  }
  function update() {
    clamp();
    if (!pending) {
      pending = true;
      requestAnimationFrame(draw);
    }
  }

  // A label beside its dot as weft placed it (above, below, right or left), with the gap
  // between them shrunk as the text is.
  function place(label, z) {
    var t = label.text, d = label.dot, gap = 3 / z, r = d.r;
    if (label.ring) {
      r += 5 / z;
      label.ring.setAttribute("r", r);
    }
    if (!t) return;
    if (label.side === "above") t.setAttribute("y", d.y - r - gap - 0.24 * FONT / z);
    else if (label.side === "below") t.setAttribute("y", d.y + r + gap + 0.93 * FONT / z);
    else {
      t.setAttribute("y", d.y + 0.35 * FONT / z);
      t.setAttribute("x", label.side === "right" ? d.x + r + gap : d.x - r - gap);
    }
  }
  function labelOf(text, dot) {
    var anchor = text.getAttribute("text-anchor");
    var side = anchor === "end" ? "left" : anchor !== "middle" ? "right" : Number(text.getAttribute("y")) < dot.y ? "above" : "below";
    return { text: text, dot: dot, side: side };
  }
  function dotOf(circle) {
    return { x: Number(circle.getAttribute("cx")), y: Number(circle.getAttribute("cy")), r: Number(circle.getAttribute("r")) };
  }

  // Zooms by `factor` keeping the drawing's point (x, y) where it is on screen.
  function zoomAt(factor, x, y) {
    var w = Math.min(home.w, Math.max(home.w / MAX_ZOOM, view.w / factor));
    var k = w / view.w;
    view = { x: x - (x - view.x) * k, y: y - (y - view.y) * k, w: w, h: view.h * k };
    update();
  }
  function zoomCentre(factor) { zoomAt(factor, view.x + view.w / 2, view.y + view.h / 2); }
  function centreOn(x, y) {
    view.x = x - view.w / 2;
    view.y = y - view.h / 2;
    update();
  }
  // The drawing's point under a point of the window (the viewBox keeps the drawing's shape).
  function at(clientX, clientY) {
    var box = svg.getBoundingClientRect();
    return { x: view.x + (clientX - box.left) * view.w / box.width, y: view.y + (clientY - box.top) * view.h / box.height };
  }
  function perPixel() { return view.w / svg.getBoundingClientRect().width; }

  // Every page on the map: the dots that are links, then those drawn as one path per section,
  // matched in order with the section's list under the map (skipping the pages linked above).
  function pages() {
    if (index) return index;
    index = [];
    var linked = {};
    var links = svg.querySelectorAll("a"), i, j;
    for (i = 0; i < links.length; i++) {
      var circle = links[i].querySelector("circle"), title = links[i].querySelector("title");
      if (!circle || !title) continue;
      var dot = dotOf(circle);
      dot.title = title.textContent;
      dot.url = links[i].getAttribute("href");
      dot.link = links[i];
      linked[dot.url] = true;
      index.push(dot);
    }
    var groups = svg.querySelectorAll(".site-map > g:not(.edges):not(.labelled):not(.map-mark):not(.map-peek)");
    var lists = document.querySelectorAll(".map-group ul");
    for (i = 0; i < groups.length && i < lists.length; i++) {
      var path = groups[i].querySelector("path.dots");
      if (!path) continue;
      var r = Number(path.getAttribute("stroke-width")) / 2;
      var seeds = path.getAttribute("d").match(/M[\d.]+ [\d.]+/g) || [];
      var items = lists[i].querySelectorAll("a"), k = 0;
      for (j = 0; j < items.length && k < seeds.length; j++) {
        var url = items[j].getAttribute("href");
        if (linked[url]) continue;
        var xy = seeds[k++].slice(1).split(" ");
        index.push({ x: Number(xy[0]), y: Number(xy[1]), r: r, title: items[j].textContent, url: url, link: null, group: groups[i] });
      }
    }
    return index;
  }

  // The page whose dot is nearest the drawing's point (x, y), within `reach` of its edge.
  function nearest(x, y, reach) {
    var all = pages(), best = null, bestDistance = Infinity;
    for (var i = 0; i < all.length; i++) {
      var d = Math.sqrt((all[i].x - x) * (all[i].x - x) + (all[i].y - y) * (all[i].y - y)) - all[i].r;
      if (d < bestDistance) { best = all[i]; bestDistance = d; }
    }
    return bestDistance <= reach ? best : null;
  }

  // A ring and the title over a page's dot, drawn on top of everything: for the page found
  // (`mark`) or the dot under the pointer (`peek`). A page labelled already keeps its label.
  function overlay(page, kind) {
    var g = document.createElementNS(NS, "g");
    g.setAttribute("class", kind);
    g.setAttribute("aria-hidden", "true");
    var ring = document.createElementNS(NS, "circle");
    ring.setAttribute("cx", page.x);
    ring.setAttribute("cy", page.y);
    ring.setAttribute("r", page.r);
    g.appendChild(ring);
    var text = null;
    if (!(page.link && page.link.querySelector("text"))) {
      text = document.createElementNS(NS, "text");
      text.setAttribute("x", page.x);
      text.setAttribute("text-anchor", "middle");
      text.textContent = page.title;
      g.appendChild(text);
    }
    svg.appendChild(g);
    var label = { text: text, dot: page, side: "above", ring: ring };
    place(label, zoom());
    return { g: g, label: label, page: page };
  }
  function unmark(which) {
    if (which && which.g.parentNode) which.g.parentNode.removeChild(which.g);
    return null;
  }

  // Centres the map on a page, highlights it and names it; a dot that was not a link becomes
  // one.
  function show(page) {
    var old = svg.querySelector(".map-found");
    if (old) old.classList.remove("map-found");
    if (!page.link) {
      var a = document.createElementNS(NS, "a");
      a.setAttribute("href", page.url);
      var title = document.createElementNS(NS, "title");
      title.textContent = page.title;
      var circle = document.createElementNS(NS, "circle");
      circle.setAttribute("cx", page.x);
      circle.setAttribute("cy", page.y);
      circle.setAttribute("r", page.r);
      a.appendChild(title);
      a.appendChild(circle);
      page.group.appendChild(a);
      page.link = a;
    }
    page.link.classList.add("map-found");
    mark = unmark(mark);
    peek = unmark(peek);
    // Close enough to tell the page's neighbours apart: 1.5x on a small map, 4x on a large one.
    var close = Math.max(1.5, Math.min(4, Math.sqrt(pages().length) / 4));
    if (zoom() < close) view = { x: view.x, y: view.y, w: home.w / close, h: home.h / close };
    centreOn(page.x, page.y);
    mark = overlay(page, "map-mark");
    status.textContent = "";
    var link = document.createElement("a");
    link.href = page.url;
    link.textContent = page.title;
    // "Found: {page}", the page a link to it.
    var parts = word("found", "Found: {page}").split("{page}");
    status.appendChild(document.createTextNode(parts[0]));
    status.appendChild(link);
    status.appendChild(document.createTextNode(parts.slice(1).join("")));
  }

  function matches(text, limit) {
    var all = pages(), found = [], needle = text.trim().toLowerCase(), i;
    if (!needle) return found;
    for (i = 0; i < all.length && found.length < limit; i++) {
      if (all[i].title.toLowerCase() === needle) found.push(all[i]);
    }
    for (i = 0; i < all.length && found.length < limit; i++) {
      var title = all[i].title.toLowerCase();
      if (title !== needle && title.indexOf(needle) >= 0) found.push(all[i]);
    }
    return found;
  }

  function button(text, name, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (name) b.setAttribute("aria-label", name);
    if (name) b.title = name;
    b.addEventListener("click", action);
    return b;
  }

  function controls() {
    var bar = document.createElement("div");
    bar.className = "map-controls";
    var form = document.createElement("form");
    form.className = "map-find";
    var label = document.createElement("label");
    label.htmlFor = "weftMapFind";
    label.textContent = word("find", "Find a page");
    input = document.createElement("input");
    input.type = "search";
    input.id = "weftMapFind";
    input.autocomplete = "off";
    input.setAttribute("list", "weftMapTitles");
    choices = document.createElement("datalist");
    choices.id = "weftMapTitles";
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(choices);
    status = document.createElement("p");
    status.className = "map-status";
    status.setAttribute("role", "status");
    var zoomBar = document.createElement("div");
    zoomBar.className = "map-zoom";
    zoomBar.setAttribute("role", "group");
    zoomBar.setAttribute("aria-label", word("zoom", "Zoom"));
    zoomBar.appendChild(button("+", word("zoom-in", "Zoom in"), function () { zoomCentre(STEP); }));
    zoomBar.appendChild(button("\u2212", word("zoom-out", "Zoom out"), function () { zoomCentre(1 / STEP); }));
    zoomBar.appendChild(button(word("reset", "Reset"), "", function () { view = { x: home.x, y: home.y, w: home.w, h: home.h }; update(); }));
    bar.appendChild(form);
    bar.appendChild(status);
    bar.appendChild(zoomBar);
    figure.insertBefore(bar, figure.firstChild);

    input.addEventListener("input", function () {
      var found = matches(input.value, 12);
      choices.textContent = "";
      for (var i = 0; i < found.length; i++) {
        var option = document.createElement("option");
        option.value = found[i].title;
        choices.appendChild(option);
      }
      // A title picked from the suggestions is shown at once.
      if (found.length && found[0].title === input.value) show(found[0]);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var found = matches(input.value, 1);
      if (found.length) show(found[0]);
      else status.textContent = input.value.trim() ? word("not-found", "No page is called \u201c{query}\u201d.").split("{query}").join(input.value.trim()) : "";
    });
  }

  function pointers() {
    var down = {};      // pointerId -> last position
    var start = null;   // where the press began
    var dragged = false;
    var hoverFrame = false;

    svg.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) return;
      down[event.pointerId] = { x: event.clientX, y: event.clientY };
      if (Object.keys(down).length === 1) {
        start = { x: event.clientX, y: event.clientY };
        dragged = false;
      }
    });
    svg.addEventListener("pointermove", function (event) {
      var last = down[event.pointerId];
      if (!last) return hover(event);
      var ids = Object.keys(down);
      if (ids.length === 2) {
        // Pinch: the two pointers' distance scales the view about their middle.
        var other = down[ids[0] === String(event.pointerId) ? ids[1] : ids[0]];
        var before = Math.sqrt(Math.pow(last.x - other.x, 2) + Math.pow(last.y - other.y, 2));
        var after = Math.sqrt(Math.pow(event.clientX - other.x, 2) + Math.pow(event.clientY - other.y, 2));
        var middle = at((event.clientX + other.x) / 2, (event.clientY + other.y) / 2);
        if (before > 0) zoomAt(after / before, middle.x, middle.y);
        dragged = true;
      } else if (ids.length === 1) {
        if (!dragged && Math.abs(event.clientX - start.x) + Math.abs(event.clientY - start.y) < DRAG) return;
        if (!dragged) {
          dragged = true;
          svg.setPointerCapture(event.pointerId);
          svg.classList.add("dragging");
        }
        var scale = perPixel();
        view.x -= (event.clientX - last.x) * scale;
        view.y -= (event.clientY - last.y) * scale;
        update();
      }
      down[event.pointerId] = { x: event.clientX, y: event.clientY };
    });
    function up(event) {
      delete down[event.pointerId];
      svg.classList.remove("dragging");
      // The click that ends a drag comes before this timer; a later one (Enter on a link) counts.
      if (dragged && !Object.keys(down).length) setTimeout(function () { dragged = false; }, 0);
    }
    // A link pressed and moved would be dragged out of the page, which cancels the pan.
    svg.addEventListener("dragstart", function (event) { event.preventDefault(); });
    svg.addEventListener("pointerup", up);
    svg.addEventListener("pointercancel", up);
    // A drag that ends on a link does not follow it; a click on a dot that is not a link opens
    // its page.
    svg.addEventListener("click", function (event) {
      if (dragged) {
        dragged = false;
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      if (event.target.closest("a")) return;
      var point = at(event.clientX, event.clientY);
      var page = nearest(point.x, point.y, 4 * perPixel());
      if (page) location.href = page.url;
    }, true);

    // The dot under the pointer, when it is not a link with its own tooltip, is named.
    function hover(event) {
      if (hoverFrame || event.pointerType !== "mouse") return;
      hoverFrame = true;
      requestAnimationFrame(function () {
        hoverFrame = false;
        var point = at(event.clientX, event.clientY);
        var page = event.target.closest("a") ? null : nearest(point.x, point.y, 4 * perPixel());
        if (page && peek && peek.page === page) return;
        peek = unmark(peek);
        if (page && page.link) page = null;
        if (page) peek = overlay(page, "map-peek");
        svg.classList.toggle("pointing", !!page);
      });
    }
    svg.addEventListener("pointerleave", function () { peek = unmark(peek); });

    // The wheel zooms; past the widest view (or the closest) it scrolls the page as usual.
    svg.addEventListener("wheel", function (event) {
      var lines = event.deltaMode === 1 ? 33 : event.deltaMode === 2 ? 800 : 1;
      var factor = Math.pow(1.002, -event.deltaY * lines);
      if (factor < 1 ? view.w >= home.w : zoom() >= MAX_ZOOM) return;
      event.preventDefault();
      var point = at(event.clientX, event.clientY);
      zoomAt(factor, point.x, point.y);
    }, { passive: false });
  }

  function keys() {
    svg.setAttribute("tabindex", "0");
    svg.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var step = view.w / 8;
      switch (event.key) {
        case "ArrowLeft": view.x -= step; break;
        case "ArrowRight": view.x += step; break;
        case "ArrowUp": view.y -= step; break;
        case "ArrowDown": view.y += step; break;
        case "+": case "=": zoomCentre(STEP); break;
        case "-": zoomCentre(1 / STEP); break;
        case "0": view = { x: home.x, y: home.y, w: home.w, h: home.h }; break;
        default: return;
      }
      event.preventDefault();
      update();
    });
    // A dot reached with Tab outside the view is brought into it.
    svg.addEventListener("focusin", function (event) {
      var circle = event.target.closest("a") && event.target.querySelector("circle");
      if (!circle) return;
      var dot = dotOf(circle);
      if (dot.x < view.x || dot.x > view.x + view.w || dot.y < view.y || dot.y > view.y + view.h) centreOn(dot.x, dot.y);
    });
  }

  var texts = svg.querySelectorAll("a text");
  for (var i = 0; i < texts.length; i++) {
    var circle = texts[i].parentNode.querySelector("circle");
    if (circle) labels.push(labelOf(texts[i], dotOf(circle)));
  }
  figure.classList.add("map-live");
  var hint = document.querySelector(".map-hint");
  if (hint) hint.hidden = true;
  controls();
  pointers();
  keys();
})();
