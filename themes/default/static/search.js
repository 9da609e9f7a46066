// weft default theme: site search. Fills the header's search slot with a search box and shows
// results (title, excerpt, link) from the Pagefind index that `weft build` writes to pagefind/.
// The index is loaded on first use; paths are taken from this script's own URL, so the search
// works wherever the site is published, sub-paths included.
(function () {
  "use strict";
  var script = document.currentScript;
  var slot = document.getElementById("weftSearch");
  if (!slot || !script || !script.src) return;
  var bundle = new URL("pagefind/pagefind.js", script.src).href;
  var MAX_RESULTS = 10;
  var pagefind = null;
  var latest = 0;
  // The words, in the page's language, from the slot's data-* attributes (base.html); English
  // when a template leaves them out.
  var words = slot.dataset || {};
  function word(key, english) { return words[key] || english; }
  var plural = null;
  try { plural = new Intl.PluralRules(document.documentElement.lang || "en"); } catch (e) {}
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Pagefind's excerpts are text with `<` and `>` escaped and matches in <mark>; build them as
  // DOM nodes so no markup from a page can get in.
  function excerpt(html) {
    var p = el("p", "search-excerpt");
    var marked = false;
    html.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) {
        var text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
        p.appendChild(marked ? el("mark", "", text) : document.createTextNode(text));
      }
    });
    return p;
  }

  // A large site's index comes in shards (see shards.json beside pagefind.js); they are merged
  // into one search.
  function load() {
    if (!pagefind) {
      var options = { excerptLength: 24 };
      pagefind = import(bundle).then(function (api) {
        return api.options(options)
          .then(function () { return fetch(new URL("shards.json", bundle).href); })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (shards) {
            return Promise.all(shards.map(function (shard) {
              return api.mergeIndex(new URL(shard, bundle).href, options);
            }));
          })
          .then(function () { return api; });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  var form = el("form", "search-form");
  form.setAttribute("role", "search");
  var label = el("label", "visually-hidden", word("label", "Search this site"));
  label.htmlFor = "weftSearchInput";
  var input = el("input");
  input.type = "search";
  input.id = "weftSearchInput";
  input.name = "q";
  input.placeholder = word("placeholder", "Search");
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("aria-controls", "weftSearchResults");
  var panel = el("div", "search-results");
  panel.id = "weftSearchResults";
  panel.hidden = true;
  var status = el("p", "search-status");
  status.setAttribute("role", "status");
  var list = el("ol", "search-list");
  panel.appendChild(status);
  panel.appendChild(list);
  form.appendChild(label);
  form.appendChild(input);
  slot.appendChild(form);
  slot.appendChild(panel);

  // No aria-expanded: a search box (role searchbox) may not carry it, and axe says so; the
  // status line under the box announces the results as they come.
  function close() {
    panel.hidden = true;
  }

  function show(query, results, total) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = el("li", "search-result");
      var link = el("a", "search-title", (data.meta && data.meta.title) || data.url);
      link.href = data.url;
      item.appendChild(link);
      item.appendChild(excerpt(data.excerpt || ""));
      list.appendChild(item);
    });
    var one = total === 1;
    if (plural) one = plural.select(total) === "one";
    status.textContent = fill(total === 0 ? word("none", "No results for “{query}”")
      : one ? word("one", "{n} result for “{query}”") : word("other", "{n} results for “{query}”"),
      { n: total, query: query });
    panel.hidden = false;
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) { close(); return; }
    load().then(function (api) {
      return api.debouncedSearch(query, {}, 120);
    }).then(function (search) {
      if (!search || ticket !== latest) return null;
      var top = search.results.slice(0, MAX_RESULTS);
      return Promise.all(top.map(function (r) { return r.data(); })).then(function (data) {
        if (ticket === latest) show(query, data, search.results.length);
      });
    }).catch(function () {
      if (ticket !== latest) return;
      list.textContent = "";
      status.textContent = word("unavailable", "Search is not available here.");
      panel.hidden = false;
    });
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", function () { load(); if (input.value.trim()) run(); }, { once: false });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first && !panel.hidden) first.click();
  });
  slot.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); input.focus(); }
  });
  document.addEventListener("click", function (event) {
    if (!slot.contains(event.target)) close();
  });
  // "/" focuses the search box, as on many documentation sites.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
})();
