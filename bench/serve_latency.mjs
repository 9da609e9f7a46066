// Edit-to-visible latency of `weft serve`: from writing a page's Markdown until the page,
// open in headless Chromium, shows the new text: the first animation frame whose document
// holds it, whether the page was reloaded or its <main> swapped in place.
//
// usage: node bench/serve_latency.mjs [--sizes 1000,10000] [--edits 7] [--edit text|link] [--keep]
//   --edit text (the default) adds a sentence; --edit link adds one with a link to another
//   page, which changes the link graph (backlinks, the map) and so more of the site.
//   needs tests/e2e's packages (cd tests/e2e && npm ci) and a release build (cargo build --release);
//   WEFT_BIN, CHROMIUM and GEN_CORPUS (shared/bench/gen_corpus.py) override the defaults.
// Sites are generated with `gen_corpus.py OUT N --sections 20 --targets weft` into a temp dir.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, startServe, weftBinary } from "../tests/e2e/lib.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TARGETS = { 1000: 50, 10000: 150 };

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}
const sizes = option("sizes", "1000,10000").split(",").map(Number);
const edits = Number(option("edits", "7"));
const kind = option("edit", "text");
if (!["text", "link"].includes(kind)) throw new Error(`--edit text or --edit link, not ${kind}`);
const keep = process.argv.includes("--keep");
const generator = process.env.GEN_CORPUS ?? resolve(REPO, "../shared/bench/gen_corpus.py");
if (!existsSync(generator)) throw new Error(`no corpus generator at ${generator}: set GEN_CORPUS`);

const now = () => performance.timeOrigin + performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pause = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Waits until the open page (across reloads) has shown `token`; returns when. */
async function shownAt(tab, token) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const at = await tab.evaluate((t) => sessionStorage.getItem(`shown:${t}`), token);
      if (at) return Number(at);
    } catch {
      // The page is reloading: ask the new one.
    }
    await pause(2);
  }
  throw new Error(`the page never showed ${token}`);
}

async function measure(browser, size) {
  const dir = mkdtempSync(join(tmpdir(), `weft-latency-${size}-`));
  execFileSync("python3", [generator, dir, String(size), "--sections", "20", "--targets", "weft"], {
    stdio: "ignore",
  });
  const root = join(dir, "weft");
  const source = join(root, "content/area-0/page-0.md");
  const original = readFileSync(source, "utf8");
  const started = now();
  const server = await startServe(weftBinary("release"), root);
  const startup = now() - started;
  const tab = await browser.newPage();
  // In every document of the tab, from its start: on each frame, whether it holds the
  // awaited token yet; the first frame that does is noted, in the tab's sessionStorage.
  await tab.addInitScript(() => {
    const frame = () => {
      const token = sessionStorage.getItem("probe");
      const key = `shown:${token}`;
      if (token && !sessionStorage.getItem(key) && document.body?.textContent.includes(token)) {
        sessionStorage.setItem(key, String(performance.timeOrigin + performance.now()));
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await tab.goto(new URL("area-0/page-0/", server.url).href);
  await tab.waitForFunction(() => window.__weft !== undefined);
  await pause(500);
  const latencies = [];
  for (let i = 0; i < edits; i++) {
    const token = `Latency probe ${size}-${i}-${Date.now()}`;
    const link = kind === "link" ? ` See [another page](../area-1/page-${i + 1}.md).` : "";
    const text = original.replace(/\n---\n/, `\n---\n\n${token}.${link}\n`);
    await tab.evaluate((t) => sessionStorage.setItem("probe", t), token);
    const written = now();
    writeFileSync(source, text);
    latencies.push((await shownAt(tab, token)) - written);
    await pause(300);
  }
  await tab.close();
  await server.stop();
  const builds = [...server.log().matchAll(/rebuilt .* in (\d+) ms/g)].map((m) => Number(m[1]));
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return { size, startup, latencies, builds };
}

const browser = await launchBrowser();
const rows = [];
try {
  for (const size of sizes) rows.push(await measure(browser, size));
} finally {
  await browser.close();
}
console.log("pages   start-up  rebuild(median)  edit-to-visible: median   min   max   target");
for (const { size, startup, latencies, builds } of rows) {
  const target = TARGETS[size] ? `≤${TARGETS[size]} ms` : "";
  console.log(
    `${String(size).padStart(5)}  ${(startup / 1000).toFixed(1).padStart(6)} s` +
      `  ${String(median(builds)).padStart(11)} ms` +
      `  ${median(latencies).toFixed(0).padStart(18)} ms ${Math.min(...latencies).toFixed(0).padStart(5)}` +
      ` ${Math.max(...latencies).toFixed(0).padStart(5)}   ${target}`,
  );
}
console.log(`(${edits} ${kind} edits each; every latency: ${rows.map((r) => r.latencies.map((l) => l.toFixed(0)).join(" ")).join(" | ")})`);
