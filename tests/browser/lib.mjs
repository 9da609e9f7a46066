// Shared by a11y.mjs and screenshots.mjs: a tiny static server for the built site and a
// headless Chromium that can only reach that server.

import { createServer } from "node:http";
import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

/** The built site: `$WEFT_PUBLIC`, else `public/` at the root of the repository. */
export const SITE_ROOT = resolve(
  process.env.WEFT_PUBLIC ?? join(fileURLToPath(new URL(".", import.meta.url)), "../../public"),
);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The sub-path the site was built for (`$WEFT_BASE_PATH`, e.g. `/docs/`), default `/`. */
export const BASE_PATH = ("/" + (process.env.WEFT_BASE_PATH ?? "").replace(/^\/+|\/+$/g, "") + "/").replace("//", "/");

/**
 * Serves `root` on 127.0.0.1 at a random port under `BASE_PATH`; unknown paths get
 * `404.html` with status 404.
 */
export async function serve(root = SITE_ROOT) {
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (!path.startsWith(BASE_PATH)) path = "/404.html";
      path = "/" + path.slice(BASE_PATH.length);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw new Error("outside the site");
      if (path.endsWith("/")) file = join(file, "index.html");
      let status = 200;
      if (!(await isFile(file))) {
        status = 404;
        file = join(root, "404.html");
      }
      const body = await readFile(file);
      res.writeHead(status, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("bad request");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((ok) => server.close(ok)) };
}

/** Every `.html` file under `root`, as URL paths (`/a/b/` for `a/b/index.html`), under `BASE_PATH`. */
export async function htmlPages(root = SITE_ROOT) {
  const out = [];
  async function walk(dir) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith(".html")) {
        const rel = relative(root, full).split(sep).join("/");
        out.push(BASE_PATH + (rel === "index.html" ? "" : rel.replace(/(^|\/)index\.html$/, "$1")));
      }
    }
  }
  await walk(root);
  return out.sort();
}

/** Headless Chromium from the system, with no background traffic. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Keeps a page on the site: any request to another origin is aborted and recorded in
 * `outside`, and after the first document only same-document navigations are allowed
 * (so that an alias page's meta refresh does not take the check elsewhere).
 */
export async function confine(page, origin, outside) {
  let documents = 0;
  await page.route("**/*", (route) => {
    const request = route.request();
    if (!request.url().startsWith(origin + "/")) {
      outside.push(request.url());
      return route.abort();
    }
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      documents += 1;
      // A 204 answer leaves the current document in place (an aborted one would not).
      if (documents > 1) return route.fulfill({ status: 204 });
    }
    return route.continue();
  });
}

/**
 * A test's verdicts: `fail(message)` prints it and counts it, `check(ok, message)` fails when
 * `ok` is false, `failed` is how many failed so far (to say whether a scenario passed), and
 * `exit()` ends the process with 1 if any did.
 */
export function verdicts() {
  const counts = { failed: 0 };
  const fail = (message) => {
    console.error(`FAIL ${message}`);
    counts.failed += 1;
  };
  return {
    fail,
    check: (ok, message) => {
      if (!ok) fail(message);
    },
    get failed() {
      return counts.failed;
    },
    exit: () => process.exit(counts.failed ? 1 : 0),
  };
}
