// Screenshots of the built site for docs/screenshots/: three pages, phone and desktop,
// light and dark. Only the first screen of each page, to keep the files small.
//
//   cd tests/browser && npm ci && node screenshots.mjs   (build the site into public/ first)
//
// With `pngquant` installed (apt-get install pngquant) the PNGs are quantised to stay well
// under 200 KB each; without it they are written as Chromium makes them.
//
// `node screenshots.mjs --full DIR` writes full-page shots to DIR instead, for review.

import { spawnSync } from "node:child_process";
import { mkdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SITE_ROOT, confine, launch, serve } from "./lib.mjs";

const PAGES = { home: "/", initiative: "/european-union/ran-coe/", map: "/map/" };
const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1440, height: 900 } },
};
const MODES = ["light", "dark"];

const fullAt = process.argv.indexOf("--full");
const fullPage = fullAt !== -1;
const outDir = fullPage
  ? resolve(process.argv[fullAt + 1] ?? "screenshots-full")
  : fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
await mkdir(outDir, { recursive: true });

const LIMIT = 200 * 1024;
let quantise = true;

/** Shrinks a PNG in place with pngquant, if it is installed. */
function shrink(file) {
  if (!quantise) return;
  const run = spawnSync("pngquant", ["--quality=70-95", "--speed=1", "--strip", "--skip-if-larger", "--force", "--ext=.png", file]);
  if (run.error?.code === "ENOENT") {
    quantise = false;
    console.warn("pngquant not found: PNGs are left as Chromium wrote them");
  }
}

const server = await serve(SITE_ROOT);
let tooBig = 0;
const browser = await launch();
try {
  for (const [device, options] of Object.entries(DEVICES)) {
    for (const mode of MODES) {
      const context = await browser.newContext({ ...options, colorScheme: mode, reducedMotion: "reduce" });
      for (const [name, path] of Object.entries(PAGES)) {
        const page = await context.newPage();
        const outside = [];
        await confine(page, server.origin, outside);
        await page.goto(server.origin + path, { waitUntil: "load" });
        await page.evaluate(() => document.fonts.ready);
        const file = join(outDir, `${name}-${device}-${mode}.png`);
        await page.screenshot({ path: file, fullPage });
        if (outside.length) throw new Error(`${path} requested ${outside.join(", ")}`);
        shrink(file);
        const { size } = await stat(file);
        if (!fullPage && size > LIMIT) tooBig += 1;
        console.log(`${file} ${Math.round(size / 1024)} KB`);
        await page.close();
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
if (tooBig) console.warn(`${tooBig} screenshots are over ${LIMIT / 1024} KB`);
