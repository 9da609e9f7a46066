// weft default theme: the light/dark toggle. Everything else works without JavaScript.
// An inline script in <head> applies a saved choice before the first paint; this file
// shows the toggle, keeps its state in sync, and remembers the reader's choice.
(function () {
  "use strict";
  var KEY = "weft-theme";
  var root = document.documentElement;
  var system = window.matchMedia ? matchMedia("(prefers-color-scheme: dark)") : null;

  function saved() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen === "dark";
    return !!(system && system.matches);
  }
  function apply(theme) {
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
    else root.removeAttribute("data-theme");
    var button = document.querySelector(".theme-toggle");
    if (button) button.setAttribute("aria-pressed", String(isDark()));
  }
  // A choice that matches the system is forgotten, so the page follows the system again.
  function choose(dark) {
    var followsSystem = !!(system && system.matches) === dark;
    try {
      if (followsSystem) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, dark ? "dark" : "light");
    } catch (e) {}
    apply(followsSystem ? null : dark ? "dark" : "light");
  }

  function init() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.hidden = false;
    apply(saved());
    button.addEventListener("click", function () { choose(!isDark()); });
    if (system && system.addEventListener) system.addEventListener("change", function () { apply(saved()); });
    // Another tab changed the choice.
    window.addEventListener("storage", function (event) { if (event.key === KEY) apply(event.newValue); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// The language switcher, a disclosure that works without JavaScript: Escape closes it, and so
// does a click or the focus anywhere else.
(function () {
  "use strict";
  function init() {
    var box = document.querySelector(".languages details");
    if (!box) return;
    function outside(event) {
      if (box.open && !box.contains(event.target)) box.open = false;
    }
    document.addEventListener("click", outside);
    document.addEventListener("focusin", outside);
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !box.open) return;
      box.open = false;
      box.querySelector("summary").focus();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Code blocks: a "Copy" button on each, and Mermaid diagrams drawn from their source. Without
// JavaScript a block is its code and a diagram its source, as weft writes them.
(function () {
  "use strict";
  // Mermaid sits beside this script, under the site's sub-path.
  var here = document.currentScript ? document.currentScript.src : location.href;
  var root = document.documentElement;
  var status;
  // The words, in the page's language, from <body>'s data-* attributes (base.html); English
  // when a template leaves them out.
  function word(key, english) { return (document.body && document.body.getAttribute("data-" + key)) || english; }

  function say(text) {
    if (!status) {
      status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  // The code as written: without the line numbers.
  function codeOf(pre) {
    var code = (pre.querySelector("code") || pre).cloneNode(true);
    var numbers = code.querySelectorAll(".giallo-ln");
    for (var i = 0; i < numbers.length; i++) numbers[i].remove();
    return code.textContent.replace(/\n$/, "");
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) {}
      area.remove();
      if (done) resolve(); else reject(new Error("copy refused"));
    });
  }

  function addCopyButtons() {
    var blocks = document.querySelectorAll("main pre:not(.mermaid-source):not(.math-source)");
    for (var i = 0; i < blocks.length; i++) {
      var pre = blocks[i];
      if (!pre.querySelector("code") || pre.parentNode.classList.contains("code-block")) continue;
      var box = document.createElement("div");
      box.className = "code-block";
      pre.parentNode.insertBefore(box, pre);
      box.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "code-copy";
      button.textContent = word("copy", "Copy");
      button.setAttribute("aria-label", word("copy-code", "Copy code"));
      button.addEventListener("click", onCopy);
      box.appendChild(button);
    }
  }

  function onCopy(event) {
    var button = event.currentTarget;
    var pre = button.parentNode.querySelector("pre");
    copy(codeOf(pre)).then(function () { shown(button, word("copy-done", "Copied"), word("copy-done-note", "Code copied")); },
      function () { shown(button, word("copy-failed", "Copy failed"), word("copy-failed-note", "The code could not be copied")); });
  }

  function shown(button, label, message) {
    button.textContent = label;
    button.setAttribute("data-copied", "");
    say(message);
    clearTimeout(button.weftTimer);
    button.weftTimer = setTimeout(function () {
      button.textContent = word("copy", "Copy");
      button.removeAttribute("data-copied");
    }, 2000);
  }

  var diagrams = [];
  var drawn = 0;

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen === "dark";
    return !!(window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches);
  }

  // One at a time: Mermaid draws in a shared scratch element.
  function drawAll() {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: isDark() ? "dark" : "default" });
    var chain = Promise.resolve();
    diagrams.forEach(function (d) {
      chain = chain.then(function () {
        drawn += 1;
        return window.mermaid.render("weftDiagram" + drawn, d.source).then(function (result) {
          d.figure.innerHTML = result.svg;
          d.figure.hidden = false;
          d.pre.hidden = true;
        }, function () {
          // Source Mermaid cannot draw stays as its code.
          d.figure.hidden = true;
          d.pre.hidden = false;
        });
      });
    });
  }

  function addDiagrams() {
    var sources = document.querySelectorAll("pre.mermaid-source");
    if (!sources.length) return;
    for (var i = 0; i < sources.length; i++) {
      var figure = document.createElement("div");
      figure.className = "mermaid-diagram";
      figure.hidden = true;
      sources[i].parentNode.insertBefore(figure, sources[i]);
      diagrams.push({ pre: sources[i], figure: figure, source: sources[i].textContent });
    }
    var script = document.createElement("script");
    script.src = new URL("mermaid.min.js", here).href;
    script.onload = function () {
      drawAll();
      // The theme's toggle, and the system's setting, redraw them in the new colours.
      new MutationObserver(drawAll).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
      if (window.matchMedia) matchMedia("(prefers-color-scheme: dark)").addEventListener("change", drawAll);
    };
    document.head.appendChild(script);
  }

  function init() {
    addCopyButtons();
    addDiagrams();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
