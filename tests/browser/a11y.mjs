// Runs axe-core (WCAG 2.0 A/AA and 2.1 AA) on every HTML page of the built site, in light
// and in dark mode, and fails on any violation, any script error, or any request that
// leaves the site.
//
//   cd tests/browser && npm ci && node a11y.mjs        (build the site into public/ first)

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { SITE_ROOT, confine, htmlPages, launch, serve } from "./lib.mjs";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const MODES = ["light", "dark"];
// A11Y_INCOMPLETE=1 also prints what axe could not decide (for a manual look; never fails).
const SHOW_INCOMPLETE = Boolean(process.env.A11Y_INCOMPLETE);

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const paths = await htmlPages(SITE_ROOT);
if (paths.length === 0) {
  console.error(`no .html files under ${SITE_ROOT}: build the site first`);
  process.exit(1);
}

const server = await serve(SITE_ROOT);
const browser = await launch();
let passed = 0;
let failed = 0;

const CONCURRENCY = Number(process.env.A11Y_JOBS ?? 6);
const report = [];

async function check(context, path, mode) {
  const page = await context.newPage();
  const problems = [];
  const outside = [];
  page.on("pageerror", (err) => problems.push(`script error: ${err.message}`));
  try {
    await confine(page, server.origin, outside);
    await page.goto(server.origin + path, { waitUntil: "load" });
    // Mermaid diagrams are drawn after the page loads: check them as drawn.
    await page.waitForFunction(
      () => [...document.querySelectorAll(".mermaid-diagram")].every((d) => d.querySelector("svg")),
      null,
      { timeout: 15000 },
    );
    await page.addScriptTag({ content: axeSource });
    const options = { runOnly: { type: "tag", values: TAGS } };
    if (!SHOW_INCOMPLETE) options.resultTypes = ["violations"];
    const result = await page.evaluate((options) => window.axe.run(document, options), options);
    for (const v of result.violations) {
      problems.push(`${v.id} (${v.impact}): ${v.help}`);
      for (const node of v.nodes.slice(0, 5)) {
        problems.push(`    ${node.target.join(" ")}: ${node.failureSummary.replace(/\s+/g, " ").trim()}`);
      }
      if (v.nodes.length > 5) problems.push(`    … and ${v.nodes.length - 5} more`);
    }
    if (SHOW_INCOMPLETE) {
      for (const v of result.incomplete) {
        console.log(`incomplete ${path} [${mode}] ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
  } catch (err) {
    problems.push(`could not check: ${err.message}`);
  } finally {
    await page.close();
  }
  for (const url of outside) problems.push(`request left the site: ${url}`);
  return problems;
}

try {
  const contexts = {};
  for (const mode of MODES) contexts[mode] = await browser.newContext({ colorScheme: mode });
  const tasks = MODES.flatMap((mode) => paths.map((path) => ({ path, mode })));
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const task = tasks[next++];
      const problems = await check(contexts[task.mode], task.path, task.mode);
      report.push({ ...task, problems });
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
} finally {
  await browser.close();
  await server.close();
}

report.sort((a, b) => a.path.localeCompare(b.path) || a.mode.localeCompare(b.mode));
for (const { path, mode, problems } of report) {
  if (problems.length === 0) {
    passed += 1;
  } else {
    failed += 1;
    console.log(`FAIL ${path} [${mode}]`);
    for (const p of problems) console.log(`  ${p}`);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
