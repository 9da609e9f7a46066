// The site search, as a reader uses it: builds the flagship site for a sub-path
// (http://127.0.0.1:PORT/docs/), serves it on loopback, types into the search box in headless
// Chromium and checks that the expected page is among the results, and that the result links work.
//
// usage: node search.mjs            (weft from $WEFT_BIN, else target/debug or target/release)
// The last line is `N passed, M failed`; the exit code is 1 when anything failed.
//
// Then the same on a generated site large enough for weft to split its index into shards,
// which the theme's search script merges: pages from every shard must be found.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const BASE_PATH = "/docs/";

/** Words a reader types, and a page (by URL path under the site) that must be among the results. */
const CASES = [
  ["RAN", "european-union/ran-coe/"],
  ["Internet Referral Unit", "european-union/eu-internet-referral-unit/"],
  ["SSCAT", "european-union/sscat/"],
  ["Global Counterterrorism Forum", "gctf/"],
  ["FATF", "organisations/fatf/"],
  ["radicalisation", "european-union/ran-coe/"],
];

function weftBinary() {
  const candidates = [
    process.env.WEFT_BIN,
    join(REPO, "target/debug/weft"),
    join(REPO, "target/release/weft"),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no weft binary; build it (cargo build) or set WEFT_BIN (looked at ${candidates.join(", ")})`);
  return found;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** Serves `root` under BASE_PATH on 127.0.0.1; anything else is a 404. */
async function serve(root) {
  const server = createServer(async (req, res) => {
    let status = 404;
    let file = join(root, "404.html");
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.startsWith(BASE_PATH)) {
      let candidate = normalize(join(root, path.slice(BASE_PATH.length)));
      if (path.endsWith("/")) candidate = join(candidate, "index.html");
      const inside = candidate.startsWith(root + sep);
      if (inside && (await stat(candidate).then((s) => s.isFile(), () => false))) {
        status = 200;
        file = candidate;
      }
    }
    res.writeHead(status, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(await readFile(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { port: server.address().port, close: () => new Promise((ok) => server.close(ok)) };
}

/** Types `query` into the search box; returns the result links (href) once they show. */
async function search(page, query) {
  const input = page.locator("#weftSearch input[type=search]");
  await input.fill("");
  await input.fill(query);
  const status = page.locator("#weftSearch [role=status]");
  await status.filter({ hasText: query }).waitFor({ timeout: 15000 });
  return page.locator("#weftSearch .search-results a").evaluateAll((links) => links.map((a) => a.href));
}

/** Pages in the generated site: several shards' worth (1,250 pages per shard). */
const SHARDED_PAGES = 5100;

/** Writes a site of SHARDED_PAGES pages into `root`, each with a word of its own. */
function writeShardedSite(root) {
  mkdirSync(join(root, "content/notes"), { recursive: true });
  writeFileSync(join(root, "weft.yaml"), "title: Sharded\nbase_url: https://example.org/\nsearch: true\n");
  writeFileSync(join(root, "content/_index.md"), "---\ntitle: Home\n---\nNotes on cooperation.\n");
  writeFileSync(join(root, "content/notes/_index.md"), "---\ntitle: Notes\n---\nAll the notes.\n");
  for (let n = 0; n < SHARDED_PAGES; n++) {
    writeFileSync(
      join(root, `content/notes/n${n}.md`),
      `---\ntitle: Note ${n}\n---\nPartners share information about word${n}marker and cooperation.\n`,
    );
  }
}

/** Builds the generated site for BASE_PATH, serves it and searches words from every shard. */
async function shardedScenario(browser, check) {
  const dir = mkdtempSync(join(tmpdir(), "weft-search-shards-"));
  const server = await serve(join(dir, "site"));
  try {
    writeShardedSite(join(dir, "src"));
    const origin = `http://127.0.0.1:${server.port}`;
    const build = spawnSync(
      weftBinary(),
      ["build", "--quiet", "--root", join(dir, "src"), "--output", join(dir, "site"), "--base-url", `${origin}${BASE_PATH}`],
      { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    check(`a site of ${SHARDED_PAGES} pages builds`, build.status === 0, build.stderr);
    check("its index is split into shards", existsSync(join(dir, "site/pagefind/shard-1/pagefind-entry.json")));
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(`${origin}${BASE_PATH}`);
    // One note of each shard, read from the shard's own page fragments (gzip, then JSON
    // after Pagefind's signature), must be found by a search: every shard is merged.
    const bundle = join(dir, "site/pagefind");
    const shards = ["", ...JSON.parse(readFileSync(join(bundle, "shards.json"), "utf8"))];
    check(`the index has several shards (${shards.length})`, shards.length > 2);
    const notes = shards.map((shard) => {
      const folder = join(bundle, shard, "fragment");
      const text = gunzipSync(readFileSync(join(folder, readdirSync(folder).sort()[0]))).toString("utf8");
      const fragments = Object.values(JSON.parse(text.slice(text.indexOf("{"))));
      return Number(fragments.map((f) => /\/notes\/n(\d+)\//.exec(f.url)).find(Boolean)?.[1]);
    });
    for (const n of notes) {
      const want = `${origin}${BASE_PATH}notes/n${n}/`;
      const links = await search(page, `word${n}marker`).catch((err) => [err.message]);
      check(`a page of every shard is found: note ${n}`, links.includes(want), `got ${links.join(" ") || "nothing"}`);
    }
    check("no script errors with shards", errors.length === 0, errors.join("; "));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  let passed = 0;
  let failed = 0;
  const check = (name, ok, detail = "") => {
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
  };
  const out = mkdtempSync(join(tmpdir(), "weft-search-"));
  const site = await serve(join(out, "site"));
  const origin = `http://127.0.0.1:${site.port}`;
  let browser;
  try {
    const build = spawnSync(
      weftBinary(),
      ["build", "--quiet", "--root", REPO, "--output", join(out, "site"), "--base-url", `${origin}${BASE_PATH}`],
      { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    check("the flagship site builds", build.status === 0, build.stderr);
    if (build.status !== 0) return { passed, failed };
    check("the search index is written", existsSync(join(out, "site/pagefind/pagefind.js")));

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
      ],
    });
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(err.message));
    // No request may leave the site.
    const outside = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + BASE_PATH)) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(`${origin}${BASE_PATH}`);
    check("the header has a search box", (await page.locator("#weftSearch input[type=search]").count()) === 1);

    for (const [query, expected] of CASES) {
      const want = `${origin}${BASE_PATH}${expected}`;
      try {
        const links = await search(page, query);
        check(`"${query}" finds ${BASE_PATH}${expected}`, links.includes(want), `got ${links.join(" ") || "nothing"}`);
      } catch (err) {
        check(`"${query}" finds ${BASE_PATH}${expected}`, false, err.message);
      }
    }

    const empty = await search(page, "zzzqqqxxnotaword").catch(() => null);
    check("a word that is nowhere shows no results", Array.isArray(empty) && empty.length === 0);

    // A result, followed, opens its page from a page deeper in the site.
    await page.goto(`${origin}${BASE_PATH}gctf/`);
    const links = await search(page, "SSCAT").catch(() => []);
    const first = page.locator("#weftSearch .search-results a").first();
    if (links.length > 0) {
      await Promise.all([page.waitForURL(links[0]), first.click()]);
      const heading = await page.locator("h1").first().textContent();
      check("a result link opens its page", heading.includes("SSCAT") || links[0].includes("sscat"), `opened ${page.url()} (${heading})`);
    } else {
      check("a result link opens its page", false, "no results for SSCAT");
    }
    const excerpt = await search(page, "Europol")
      .then(() => page.locator("#weftSearch .search-excerpt mark").count())
      .catch(() => 0);
    check("excerpts mark the words searched for", excerpt > 0);
    // Each language has its own index, which the search box of a page in it reads: a Dutch
    // page finds Dutch pages, and an English page does not find them.
    await page.goto(`${origin}${BASE_PATH}nl/`);
    const dutch = await search(page, "samenwerking").catch((err) => [err.message]);
    check(
      "a Dutch page's search finds Dutch pages",
      dutch.length > 0 && dutch.every((href) => href.startsWith(`${origin}${BASE_PATH}nl/`)),
      `got ${dutch.join(" ") || "nothing"}`,
    );
    const english = await search(page, "Working Group").catch((err) => [err.message]);
    check(
      "a Dutch page's search finds no English pages",
      english.every((href) => href.startsWith(`${origin}${BASE_PATH}nl/`)),
      `got ${english.join(" ")}`,
    );
    await page.goto(`${origin}${BASE_PATH}gctf/`);
    const fromEnglish = await search(page, "samenwerking").catch((err) => [err.message]);
    check(
      "an English page's search finds no Dutch pages",
      !fromEnglish.some((href) => href.startsWith(`${origin}${BASE_PATH}nl/`)),
      `got ${fromEnglish.join(" ")}`,
    );

    check("no script errors", errors.length === 0, errors.join("; "));
    check("no request leaves the site", outside.length === 0, outside.join(" "));

    await shardedScenario(browser, check);
  } catch (err) {
    check("the search test ran", false, err.stack ?? String(err));
  } finally {
    if (browser) await browser.close();
    await site.close();
    rmSync(out, { recursive: true, force: true });
  }
  return { passed, failed };
}

const { passed, failed } = await main();
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
