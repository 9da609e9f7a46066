// Shared by serve.mjs and bench/serve_latency.mjs: start `weft serve` on a site and a
// headless Chromium that talks to it.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The weft binary: `$WEFT_BIN`, else target/<profile>/weft of this repository. */
export function weftBinary(profile = "debug") {
  const path = process.env.WEFT_BIN ?? join(REPO, "target", profile, "weft");
  if (!existsSync(path)) {
    throw new Error(`no weft binary at ${path}: run \`cargo build${profile === "release" ? " --release" : ""}\` or set WEFT_BIN`);
  }
  return path;
}

/**
 * Starts `weft serve --port 0` on `root`; resolves once it announces its address.
 * The returned object has `url`, `log()` (everything it printed) and `stop()`.
 */
export function startServe(binary, root, args = []) {
  const child = spawn(binary, ["serve", "--port", "0", "--root", root, ...args], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`weft serve did not start:\n${output}`)), 120_000);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      output += chunk;
      const found = output.match(/ at (http:\/\/[^ ]+\/) /);
      if (found && timer) {
        clearTimeout(timer);
        ok({
          url: found[1],
          log: () => output,
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", done);
            child.kill();
          }),
        });
      }
    });
    child.once("exit", (code) => fail(new Error(`weft serve exited with ${code}:\n${output}`)));
  });
}

/** Headless Chromium, from `$CHROMIUM` or /usr/bin/chromium. */
export function launchBrowser() {
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

/** The preview's state: `{generation, error}`. */
export async function status(url) {
  const response = await fetch(new URL("__weft/status", url));
  return response.json();
}
