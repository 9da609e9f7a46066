// Local graphs in the browser: every node is a link to the page it stands for (the one a click
// opens), named by the page's title, inside the graph's box, at the ends of its edges; only the
// edges are hidden from screen readers; the same without JavaScript.
//
//   cd tests/browser && npm ci && WEFT_PUBLIC=../../target/fixture-site WEFT_BASE_PATH=/docs/ node graph.mjs

import { BASE_PATH, launch, serve, verdicts } from "./lib.mjs";

const server = await serve();
const browser = await launch();
const verdict = verdicts();
const { check } = verdict;

for (const javaScript of [true, false]) {
  const before = verdict.failed;
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
  check((await graph.locator("svg.lg-edges").getAttribute("aria-hidden")) === "true", "the edges' drawing is not hidden from screen readers");

  // The nodes are the lists' links: the page at the centre, each other page once, each with
  // its title as its name, placed inside the graph's box.
  const nodes = await graph.locator(".lg a").evaluateAll((links) =>
    links.map((a) => {
      const box = a.getBoundingClientRect();
      const area = a.closest(".lg").getBoundingClientRect();
      return {
        href: a.getAttribute("href"),
        name: a.textContent.trim(),
        inside: box.width > 0 && box.left >= area.left - 200 && box.right <= area.right + 200 && box.top >= area.top - 20 && box.bottom <= area.bottom + 20,
      };
    }),
  );
  const self = `${BASE_PATH}guide/second/`;
  check((await graph.locator(".lg-self a").getAttribute("href")) === self, "the page is not at the centre of its graph");
  check(new Set(nodes.map((n) => n.href)).size === nodes.length, "a page is on the graph twice");
  check(nodes.length >= 3, "the graph shows fewer than two neighbours");
  check(nodes.every((n) => n.name.length > 0), "a node has no name");
  check(nodes.every((n) => n.inside), "a node is drawn outside the graph");
  // The stylesheet places the nodes and weft draws the edges: each node sits at an edge's end.
  const misses = await graph.evaluate((g) => {
    const svg = g.querySelector("svg.lg-edges");
    const box = svg.getBoundingClientRect();
    const [, , w, h] = svg.getAttribute("viewBox").split(" ").map(Number);
    const ends = [...svg.querySelectorAll("path")].flatMap((p) =>
      [...p.getAttribute("d").matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [box.left + (m[1] * box.width) / w, box.top + (m[2] * box.height) / h]),
    );
    return [...g.querySelectorAll(".lg li")]
      .map((li) => {
        const at = li.getBoundingClientRect();
        const miss = Math.min(...ends.map(([x, y]) => Math.hypot(x - at.left, y - at.top)));
        return { href: li.querySelector("a").getAttribute("href"), miss };
      })
      .filter((n) => !(n.miss < 3));
  });
  check(misses.length === 0, `nodes away from their edges: ${misses.map((n) => `${n.href} by ${n.miss.toFixed(1)}px`).join(", ")}`);
  // ...and in weft's order: the first page one link away straight above the page, the way the
  // rings are drawn (a turn of the ring would still put every node on an edge's end).
  const [self_, first] = await Promise.all([".lg-self li", ".lg-near li"].map((s) => graph.locator(s).first().boundingBox()));
  check(Math.abs(first.x - self_.x) < 2 && first.y < self_.y, "the first page one link away is not above the page");

  // A click on a node one link away opens the page it names.
  const near = await graph.locator(".lg-near a").first().getAttribute("href");
  const target = nodes.find((n) => n.href === near);
  await graph.locator(`.lg-near a[href="${target.href}"]`).click({ position: { x: 4, y: 4 } });
  await page.waitForURL(`${server.origin}${target.href}`, { timeout: 5000 }).catch(() => {});
  check(page.url() === `${server.origin}${target.href}`, `a click on the node for ${target.href} opened ${page.url()}`);
  const title = (await page.locator("h1").first().textContent()).trim();
  check(title.startsWith(target.name.replace(/…$/, "").trim()), `the node named "${target.name}" opened "${title}"`);
  check(outside.length === 0, `requests left the site: ${outside.join(", ")}`);
  console.log(`${verdict.failed > before ? "FAIL" : "ok"} local graph nodes link to their pages, JavaScript ${javaScript ? "on" : "off"}`);
  await context.close();
}

await browser.close();
await server.close();
verdict.exit();
