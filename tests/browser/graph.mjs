// Local graphs in the browser: every node links to the page it stands for (the one the list
// beside it names, and the one a click opens); the drawing is out of the keyboard's way,
// the list is the way in; the page looks the same without JavaScript.
//
//   cd tests/browser && npm ci && WEFT_PUBLIC=../../target/fixture-site WEFT_BASE_PATH=/docs/ node graph.mjs

import { BASE_PATH, launch, serve } from "./lib.mjs";

const server = await serve();
const browser = await launch();
let failed = 0;
const check = (ok, message) => {
  if (!ok) {
    console.error(`FAIL ${message}`);
    failed += 1;
  }
};

for (const javaScript of [true, false]) {
  const before = failed;
  const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // Not confined: a click on a node must be free to open its page.
  const outside = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(server.origin + "/")) outside.push(request.url());
  });
  const start = `${server.origin}${BASE_PATH}guide/second/`;
  await page.goto(start);
  const graph = page.locator(".local-graph");
  check((await graph.count()) === 1, "the page has no local graph");
  check((await graph.locator("svg.local-graph-svg").getAttribute("aria-hidden")) === "true", "the drawing is not hidden from screen readers");

  // Each node is a link; the nodes are the page and the pages the list names.
  const nodes = await graph.locator("svg a").evaluateAll((links) =>
    links.map((a) => ({ href: a.getAttribute("href"), name: (a.querySelector("text, title") || {}).textContent, tab: a.getAttribute("tabindex") })),
  );
  const listed = await graph.locator(".local-graph-list a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  const self = `${BASE_PATH}guide/second/`;
  check(nodes.some((n) => n.href === self), "the page is not on its own graph");
  const others = nodes.filter((n) => n.href !== self).map((n) => n.href).sort();
  check(JSON.stringify(others) === JSON.stringify([...listed].sort()), `the nodes ${others} are not the listed pages ${listed}`);
  check(nodes.every((n) => n.tab === "-1"), "a node is in the tab order, beside the list's link to the same page");
  check(listed.length >= 2, "the graph shows fewer than two neighbours");

  // A click on a node one link away opens the page it names.
  const near = await graph.locator("svg .lg-near a").first().getAttribute("href");
  const target = nodes.find((n) => n.href === near);
  await graph.locator(`svg .lg-near a[href="${target.href}"] circle`).click();
  await page.waitForURL(`${server.origin}${target.href}`, { timeout: 5000 }).catch(() => {});
  check(page.url() === `${server.origin}${target.href}`, `a click on the node for ${target.href} opened ${page.url()}`);
  const title = (await page.locator("h1").first().textContent()).trim();
  check(title.startsWith(target.name.replace(/…$/, "").trim()), `the node named "${target.name}" opened "${title}"`);
  check(outside.length === 0, `requests left the site: ${outside.join(", ")}`);
  console.log(`${failed > before ? "FAIL" : "ok"} local graph nodes link to their pages, JavaScript ${javaScript ? "on" : "off"}`);
  await context.close();
}

await browser.close();
await server.close();
process.exit(failed ? 1 : 0);
