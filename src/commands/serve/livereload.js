// weft serve: live reload. Injected into every HTML page only while serving.
// The server sends, over Server-Sent Events, {generation, error, since, changed}: `changed`
// lists the output files that differ between build `since` and build `generation` (null:
// anything may have changed). A hidden tab lets go of its connection (browsers allow only six
// per server) and asks what it missed when it is shown again.
// When only the page's own file changed, and in it only <main>, the new <main> is swapped in
// without a reload: several times faster, and the page keeps its state. Scripts that work on
// <main> can listen for `weft:patched` on document; a page with an element marked
// `data-weft-reload` is always reloaded instead.
(() => {
  "use strict";
  const me = document.currentScript;
  const file = me.dataset.file;
  let generation = Number(me.dataset.generation);
  // The build this page shows, for tests and curious people.
  window.__weft = { generation };
  const scrollKey = "weft-scroll:" + location.pathname;

  // The output file a same-origin URL path is served from: `/eu/` → `eu/index.html`.
  const fileOf = (pathname) => {
    let path = decodeURIComponent(pathname).replace(/^\/+/, "");
    if (path === "" || path.endsWith("/")) path += "index.html";
    return path;
  };
  const sameOrigin = (url) => {
    const parsed = new URL(url, location.href);
    return parsed.origin === location.origin ? parsed : null;
  };

  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = saved.split(",").map(Number);
    const restore = () => window.scrollTo(x, y);
    restore();
    window.addEventListener("load", restore, { once: true });
  }

  const reload = () => {
    sessionStorage.setItem(scrollKey, window.scrollX + "," + window.scrollY);
    location.reload();
  };

  // The page as served but for what <main> holds, the title, the metadata's values and this
  // script: what an edit of the page's text leaves alone. Taken now, before other scripts
  // change the page.
  const METADATA = "meta[name][content], meta[property][content]";
  const frameOf = (doc) => {
    const body = doc.body && doc.body.cloneNode(true);
    const main = body && body.querySelector("main");
    if (!main) return null;
    main.replaceChildren();
    const script = body.querySelector("#weft-live-reload");
    if (script) script.remove();
    const head = doc.head.cloneNode(true);
    for (const meta of head.querySelectorAll(METADATA)) meta.removeAttribute("content");
    for (const title of head.querySelectorAll("title")) title.replaceChildren();
    // What follows this script was not parsed yet when the page took its own frame.
    const html = body.outerHTML.replace(/\s*<\/body>$/, "");
    return [doc.documentElement.lang, head.innerHTML, html].join("\u0000");
  };
  const frame = frameOf(document);
  let patches = 0;

  // Swaps in the new <main> when nothing else of the page changed; false when it cannot.
  const patch = async () => {
    const ticket = ++patches;
    if (frame === null || document.querySelector("[data-weft-reload]")) return false;
    const response = await fetch(location.href, { cache: "no-store" });
    if (!response.ok) return false;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    if (ticket !== patches) return true; // a later patch takes over
    const main = doc.querySelector("main");
    if (frameOf(doc) !== frame || main.querySelector("script")) return false;
    document.querySelector("main").replaceChildren(...main.childNodes);
    document.title = doc.title;
    const live = document.head.querySelectorAll(METADATA);
    doc.head.querySelectorAll(METADATA).forEach((meta, i) => {
      if (live[i]) live[i].content = meta.content;
    });
    document.dispatchEvent(new CustomEvent("weft:patched"));
    return true;
  };

  // Everything this page is made of, other than stylesheets, as output files: the file
  // served (maybe 404.html) and the one its URL names, which may appear later.
  const dependencies = () => {
    const files = new Set([file, fileOf(location.pathname), fileOf(location.pathname + "/")]);
    const selector = "script[src], img[src], source[src], video[src], audio[src], iframe[src], " +
      "link[rel~=icon][href], link[rel=preload][href], link[rel=modulepreload][href]";
    for (const el of document.querySelectorAll(selector)) {
      const url = sameOrigin(el.src || el.href);
      if (url) files.add(fileOf(url.pathname));
    }
    return files;
  };

  const swapStylesheets = (changed) => {
    const links = [...document.querySelectorAll("link[rel=stylesheet][href]")]
      .filter((link) => sameOrigin(link.href));
    const matching = links.filter((link) => changed.has(fileOf(sameOrigin(link.href).pathname)));
    // A stylesheet @imported by another one changed: refresh them all.
    for (const link of matching.length ? matching : links) {
      const url = sameOrigin(link.href);
      url.searchParams.set("weft", String(generation));
      const next = link.cloneNode();
      next.href = url.href;
      next.addEventListener("load", () => link.remove(), { once: true });
      next.addEventListener("error", () => link.remove(), { once: true });
      link.after(next);
    }
  };

  // The overlay lives in a shadow root, so that the site's styles do not reach it.
  let overlay = null;
  const OVERLAY_STYLE = `
    :host { all: initial; position: fixed; inset: 0; z-index: 2147483647; }
    :host([hidden]) { display: none; }
    div { box-sizing: border-box; height: 100%; overflow: auto; padding: 1.5rem;
          background: #1d1f21; color: #f0f0f0; font: 14px/1.5 ui-monospace, Menlo, Consolas, monospace; }
    p { margin: 0 0 1rem; font-weight: bold; color: #ff9b9b; }
    pre { margin: 0; white-space: pre-wrap; font: inherit; color: inherit; background: none; }
    button { float: right; font: inherit; }`;
  const showError = (text) => {
    if (!overlay) {
      overlay = document.createElement("weft-error-overlay");
      overlay.id = "weft-error-overlay";
      const shadow = overlay.attachShadow({ mode: "open" });
      shadow.innerHTML = `<style>${OVERLAY_STYLE}</style><div role="alert">` +
        `<button type="button">Hide</button>` +
        `<p>weft: the site has errors; showing the last good build</p><pre></pre></div>`;
      shadow.querySelector("button").addEventListener("click", () => { overlay.hidden = true; });
    }
    overlay.shadowRoot.querySelector("pre").textContent = text;
    overlay.hidden = false;
    if (!overlay.isConnected) document.body.append(overlay);
  };
  const hideError = () => {
    if (overlay) overlay.remove();
    overlay = null;
  };

  const update = (message) => {
    if (message.error) showError(message.error);
    else hideError();
    if (message.generation === generation) return;
    const known = message.changed && message.since === generation;
    generation = message.generation;
    window.__weft.generation = generation;
    if (!known) return reload();
    const changed = new Set(message.changed);
    const deps = dependencies();
    const touched = [...changed].filter((path) => deps.has(path));
    if (touched.length > 1 || (touched.length && touched[0] !== file)) return reload();
    const css = new Set([...changed].filter((path) => path.endsWith(".css")));
    if (css.size) swapStylesheets(css);
    if (touched.length) patch().then((done) => done || reload(), reload);
  };

  let events = null;
  const connect = () => {
    events = new EventSource("/__weft/events?since=" + generation);
    events.onmessage = (event) => update(JSON.parse(event.data));
    events.onerror = () => {
      // The server stopped or restarted: try again, telling it which build this page shows.
      events.close();
      events = null;
      setTimeout(() => { if (!events && !document.hidden) connect(); }, 1000);
    };
  };
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && events) {
      events.close();
      events = null;
    } else if (!document.hidden && !events) {
      connect();
    }
  });
  if (!document.hidden) connect();
})();
