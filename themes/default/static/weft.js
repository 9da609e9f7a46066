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
