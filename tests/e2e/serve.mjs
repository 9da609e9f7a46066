// weft serve in a real browser: a page follows its Markdown as it is edited, a broken front
// matter shows an overlay that goes once it is fixed, a stylesheet change applies without a
// reload, an unrelated change does not reload the page, and the scroll position survives.
//
// usage: node serve.mjs   (WEFT_BIN=path/to/weft, CHROMIUM=path/to/chromium to override)
// Prints one line per check and `N passed, M failed` last; exits non-zero on failure.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { launchBrowser, startServe, status, weftBinary } from "./lib.mjs";

const TIMEOUT = 15_000;
const filler = Array.from({ length: 80 }, (_, i) => `Filler paragraph ${i} to make the page scroll.`).join("\n\n");

const root = mkdtempSync(join(tmpdir(), "weft-e2e-"));
const write = (rel, text) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
const page = (title, text) => `---\ntitle: ${title}\n---\n${text}\n\n${filler}\n`;

write("weft.yaml", 'title: "Live preview"\n');
write("content/_index.md", "---\ntitle: Home\n---\nRead the [guide](guide/_index.md).\n");
write("content/guide/_index.md", "---\ntitle: Guide\n---\nStart with [install](install.md).\n");
write("content/guide/install.md", page("Install", "First version of the text."));
write("content/guide/other.md", page("Other", "Another page."));
// A site's static/weft.css replaces the theme's stylesheet of that name.
write("static/weft.css", "body { background-color: rgb(255, 255, 255); }\n");

const results = [];
async function check(name, body) {
  try {
    await body();
    results.push(true);
    console.log(`ok - ${name}`);
  } catch (err) {
    results.push(false);
    console.log(`FAIL - ${name}: ${err.message.split("\n").slice(0, 6).join("\n")}`);
  }
}

const server = await startServe(weftBinary(), root);
const browser = await launchBrowser();
try {
  const tab = await browser.newPage();
  const text = () => tab.evaluate(() => document.querySelector("main").innerText);
  const waitForText = (wanted) =>
    tab.waitForFunction((w) => document.querySelector("main")?.innerText.includes(w), wanted, { timeout: TIMEOUT });
  const mark = () => tab.evaluate(() => { window.marker = "still here"; });
  const marked = () => tab.evaluate(() => window.marker === "still here");
  // Waits until the server has built past `before` and the page has heard of it.
  const waitForGenerationAfter = async (before) => {
    const deadline = Date.now() + TIMEOUT;
    let now = before;
    while (now <= before && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 20));
      now = (await status(server.url)).generation;
    }
    if (now <= before) throw new Error("the server did not rebuild");
    await tab.waitForFunction((g) => window.__weft?.generation === g, now, { timeout: TIMEOUT });
  };

  await check("the page is served with the live-reload script", async () => {
    await tab.goto(new URL("guide/install/", server.url).href);
    if (!(await text()).includes("First version")) throw new Error("page text missing");
    const scripts = await tab.$$eval("script#weft-live-reload", (s) => s.length);
    if (scripts !== 1) throw new Error(`${scripts} live-reload scripts`);
  });

  await check("an edit shows without a manual reload, at the same scroll position", async () => {
    await tab.evaluate(() => window.scrollTo(0, 600));
    await tab.waitForFunction(() => window.scrollY === 600);
    write("content/guide/install.md", page("Install", "Second version of the text."));
    await waitForText("Second version");
    await tab.waitForFunction(() => document.readyState === "complete");
    const y = await tab.evaluate(() => window.scrollY);
    if (Math.abs(y - 600) > 2) throw new Error(`scrolled to ${y}, not 600`);
  });

  await check("a broken front matter shows an overlay with file, line and message", async () => {
    write("content/guide/install.md", "---\ntitle: [Install\n---\nBroken.\n");
    const overlay = await tab.waitForSelector("#weft-error-overlay", { timeout: TIMEOUT });
    const shown = await overlay.evaluate((el) => el.shadowRoot.textContent);
    for (const wanted of ["content/guide/install.md:", "invalid-yaml", "invalid YAML"]) {
      if (!shown.includes(wanted)) throw new Error(`overlay lacks ${wanted}: ${shown}`);
    }
    if (!(await text()).includes("Second version")) throw new Error("the last good page is gone");
  });

  await check("fixing it removes the overlay and shows the fix", async () => {
    write("content/guide/install.md", page("Install", "Third version of the text."));
    await waitForText("Third version");
    await tab.waitForFunction(() => !document.getElementById("weft-error-overlay"), null, { timeout: TIMEOUT });
  });

  await check("a stylesheet change applies without a reload", async () => {
    await mark();
    write("static/weft.css", "body { background-color: rgb(0, 128, 0); }\n");
    await tab.waitForFunction(
      () => getComputedStyle(document.body).backgroundColor === "rgb(0, 128, 0)",
      null,
      { timeout: TIMEOUT },
    );
    if (!(await marked())) throw new Error("the page reloaded");
  });

  await check("a change to another page does not reload this one", async () => {
    await mark();
    const { generation } = await status(server.url);
    write("content/guide/other.md", page("Other", "Another page, edited."));
    await waitForGenerationAfter(generation);
    if (!(await marked())) throw new Error("the page reloaded");
  });

  await check("an edit of the page's text is swapped in without a reload", async () => {
    await mark();
    write("content/guide/install.md", page("Install", "Fourth version, swapped in place."));
    await waitForText("Fourth version");
    if (!(await marked())) throw new Error("the page reloaded");
  });

  await check("an edit that changes more than the text reloads the page", async () => {
    await mark();
    write("content/guide/install.md", page("Installing", "Fifth version, with a new title."));
    await waitForText("Fifth version");
    if (await marked()) throw new Error("the page was patched, not reloaded");
    if (!(await tab.title()).includes("Installing")) throw new Error("the title did not change");
  });

  await check("a hidden tab lets go of the server and catches up when shown", async () => {
    const setHidden = (hidden) =>
      tab.evaluate((h) => {
        Object.defineProperty(document, "hidden", { value: h, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);
    await mark();
    await setHidden(true);
    const { generation } = await status(server.url);
    write("content/guide/install.md", page("Install", "Edited while hidden."));
    while ((await status(server.url)).generation === generation) await new Promise((ok) => setTimeout(ok, 20));
    await new Promise((ok) => setTimeout(ok, 200));
    if (!(await marked()) || (await text()).includes("Edited while hidden")) {
      throw new Error("the hidden tab was updated");
    }
    await setHidden(false);
    await waitForText("Edited while hidden");
  });
} finally {
  await browser.close();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
}

const passed = results.filter(Boolean).length;
const failed = results.length - passed;
if (failed) console.log(server.log());
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
