// How fast headless Chromium shows a built site's /map/: its size, then, over several fresh
// page loads, the median time from navigation start to the first contentful paint, to the load
// event, and to the first frame painted after the load event (the whole map drawn).
//
// usage: node bench/map_paint.mjs SITE_DIR [--runs 7] [--width 1440]
//   SITE_DIR is a built site, e.g. the 10,000-page bench:
//     target/release/weft build --root /tmp/bench/10000/weft --output /tmp/bench-out
//     node bench/map_paint.mjs /tmp/bench-out
//   needs tests/browser's packages (cd tests/browser && npm ci); CHROMIUM overrides the browser.
// The site is served from 127.0.0.1 by tests/browser/lib.mjs, uncompressed, with no cache.

import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { launch, serve } from "../tests/browser/lib.mjs";

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}
const site = process.argv[2] && !process.argv[2].startsWith("--") ? resolve(process.argv[2]) : null;
if (!site) throw new Error("usage: node bench/map_paint.mjs SITE_DIR [--runs 7] [--width 1440]");
const runs = Number(option("runs", "7"));
const width = Number(option("width", "1440"));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const bytes = statSync(join(site, "map", "index.html")).size;
const server = await serve(site);
const browser = await launch();
const samples = { fcp: [], load: [], drawn: [] };
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.origin}/map/`, { waitUntil: "load" });
    const times = await page.evaluate(
      () =>
        new Promise((done) => {
          // Two frames after the load event: the first is painted when the second starts.
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              const drawn = performance.now();
              const navigation = performance.getEntriesByType("navigation")[0];
              const result = (fcp) =>
                done({
                  fcp,
                  drawn,
                  load: navigation.loadEventEnd,
                  dots: document.querySelectorAll(".site-map circle, .site-map .dots").length,
                });
              // The paint entry may be queued after the frame that made it.
              new PerformanceObserver((list) => {
                const paint = list.getEntriesByName("first-contentful-paint")[0];
                if (paint) result(paint.startTime);
              }).observe({ type: "paint", buffered: true });
              setTimeout(() => result(NaN), 2000);
            }),
          );
        }),
    );
    if (!times.dots) throw new Error("the page has no map");
    for (const key of Object.keys(samples)) samples[key].push(times[key]);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const ms = (key) => `${Math.round(median(samples[key]))} ms`;
console.log(
  `/map/: ${(bytes / 1e6).toFixed(2)} MB; median of ${runs} loads: first contentful paint ${ms("fcp")}, ` +
    `load ${ms("load")}, map drawn ${ms("drawn")} (each run: ${samples.drawn.map(Math.round).join(", ")} ms)`,
);
