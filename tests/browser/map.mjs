// The map (/map/): map.js zooms it (the + button, the wheel) and pans it (an arrow key, a
// drag that opens no page) by changing its viewBox, and "Find a page" centres and marks the
// page typed, whose dot links to it; axe passes with a page found, in light and dark. The
// labels weft placed do not overlap as Chromium draws them (nor cover a dot, on a map where
// every dot counts). Without JavaScript there are no controls and the drawing is as weft made
// it. No request leaves the site.
//
//   cd tests/browser && npm ci && WEFT_PUBLIC=../../target/fixture-site WEFT_BASE_PATH=/docs/ node map.mjs
//   (or `node map.mjs` for the flagship site in public/)

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { BASE_PATH, confine, launch, serve, verdicts } from "./lib.mjs";

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const server = await serve();
const browser = await launch();
const address = `${server.origin}${BASE_PATH}map/`;
const verdict = verdicts();
const { fail } = verdict;
const close = (a, b, within = 1) => Math.abs(a - b) <= within;

const viewBox = (page) =>
  page.locator("svg.site-map").evaluate((svg) => svg.getAttribute("viewBox").split(" ").map(Number));
// map.js draws in the next animation frame.
const frame = (page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/** The drawn labels' boxes overlap neither each other nor, on a small map, any other dot. */
async function labelsApart(page) {
  const problems = await page.evaluate(() => {
    const svg = document.querySelector("svg.site-map");
    const box = (e) => e.getBBox();
    const meets = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const labels = [...svg.querySelectorAll("a text")].map((t) => ({ t, box: box(t), a: t.closest("a") }));
    const dots = [...svg.querySelectorAll("circle")];
    const out = [];
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (meets(labels[i].box, labels[j].box)) out.push(`"${labels[i].t.textContent}" overlaps "${labels[j].t.textContent}"`);
      }
      if (dots.length > 400) continue;
      for (const dot of dots) {
        if (dot.closest("a") === labels[i].a) continue;
        const [x, y, r] = ["cx", "cy", "r"].map((k) => Number(dot.getAttribute(k)));
        const b = labels[i].box;
        const dx = x - Math.min(Math.max(x, b.x), b.x + b.width);
        const dy = y - Math.min(Math.max(y, b.y), b.y + b.height);
        if (dx * dx + dy * dy < r * r) out.push(`"${labels[i].t.textContent}" covers the dot of ${dot.closest("a").getAttribute("href")}`);
      }
    }
    return { out, labels: labels.length };
  });
  if (problems.labels === 0) fail("the map has no label");
  for (const p of problems.out) fail(p);
  return problems.labels;
}

async function withJavaScript() {
  const failedBefore = verdict.failed;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const outside = [];
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await confine(page, server.origin, outside);
  // confine() keeps the page in place (a 204) when it would leave: record what it tried.
  const opened = [];
  page.on("request", (r) => r.isNavigationRequest() && r.frame() === page.mainFrame() && opened.push(r.url()));
  await page.goto(address, { waitUntil: "load" });
  opened.length = 0;
  const labels = await labelsApart(page);
  const svg = page.locator("svg.site-map");
  if (!(await page.locator(".map-controls").isVisible())) fail("no controls with JavaScript");
  const start = await viewBox(page);

  await page.getByRole("button", { name: "Zoom in" }).click();
  await frame(page);
  let now = await viewBox(page);
  if (!close(now[2], start[2] / 1.5)) fail(`+ does not zoom in: viewBox ${start} became ${now}`);
  if (!close(now[0] + now[2] / 2, start[0] + start[2] / 2)) fail(`+ does not zoom about the centre: ${now}`);

  await page.keyboard.press("ArrowRight");
  await frame(page);
  const before = now;
  now = await viewBox(page);
  if (now.join() !== before.join()) fail(`ArrowRight on the + button moved the map: ${now}`);
  await svg.focus();
  await page.keyboard.press("ArrowRight");
  await frame(page);
  now = await viewBox(page);
  if (!close(now[0], before[0] + before[2] / 8)) fail(`ArrowRight on the map does not pan right: ${before} became ${now}`);
  if (!close(now[2], before[2])) fail("panning changed the zoom");

  await page.getByRole("button", { name: "Reset" }).click();
  await frame(page);
  now = await viewBox(page);
  if (now.join() !== start.join()) fail(`Reset does not restore the viewBox: ${now} against ${start}`);

  const area = await svg.boundingBox();
  await page.mouse.move(area.x + area.width / 4, area.y + area.height / 4);
  await page.mouse.wheel(0, -300);
  await frame(page);
  now = await viewBox(page);
  if (!(now[2] < start[2] * 0.9)) fail(`the wheel does not zoom in: ${now}`);
  const zoomed = now;

  // A drag pans, and a drag that starts on a dot (which follows the pointer, so that the drag
  // ends on it too) does not open its page.
  const dots = await page.locator("svg.site-map a circle").evaluateAll((circles) =>
    circles.map((c) => c.getBoundingClientRect()).map((b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 })),
  );
  const bottom = Math.min(area.y + area.height, page.viewportSize().height) - 40;
  const onto = dots.find((d) => d.x > area.x + 10 && d.x < area.x + area.width - 80 && d.y > area.y + 10 && d.y < bottom);
  if (!onto) fail("no dot to drag");
  else {
    await page.mouse.move(onto.x, onto.y);
    await page.mouse.down();
    await page.mouse.move(onto.x + 60, onto.y + 30, { steps: 5 });
    await page.mouse.up();
    await frame(page);
    now = await viewBox(page);
    if (!(now[0] < zoomed[0] && now[1] < zoomed[1])) fail(`dragging right and down does not pan: ${zoomed} became ${now}`);
    await page.waitForTimeout(300);
    if (opened.length) fail(`a drag that ended on a dot opened ${opened}`);
  }

  // Find the last page of the list under the map, by its title.
  const target = page.locator(".map-group ul a").last();
  const title = await target.textContent();
  const href = await target.getAttribute("href");
  await page.getByLabel("Find a page").fill(title);
  await page.getByLabel("Find a page").press("Enter");
  await frame(page);
  const found = page.locator("svg.site-map a.map-found");
  if ((await found.count()) !== 1) fail(`finding "${title}" marks ${await found.count()} dots`);
  else {
    if ((await found.getAttribute("href")) !== href) fail(`the dot found links to ${await found.getAttribute("href")}, not ${href}`);
    const [cx, cy] = await found.locator("circle").evaluate((c) => [Number(c.getAttribute("cx")), Number(c.getAttribute("cy"))]);
    now = await viewBox(page);
    const centred = close(now[0] + now[2] / 2, cx) && close(now[1] + now[3] / 2, cy);
    if (!centred || !(now[2] < start[2])) fail(`"${title}" at ${cx},${cy} is not centred in ${now}`);
    // Named by its own label, or by the mark's when it had none.
    const own = found.locator("text");
    const name = (await own.count()) ? own : page.locator("svg.site-map .map-mark text");
    const shown = (await name.count()) === 1 ? (await name.textContent()).replace(/…$/, "") : null;
    if (!shown || !title.startsWith(shown) || !(await name.isVisible())) fail(`"${title}" is not named on the map (${shown})`);
  }
  const said = page.locator(".map-status a");
  if ((await said.getAttribute("href")) !== href) fail(`the status does not link to ${href}`);
  await page.getByLabel("Find a page").fill("no such page anywhere");
  await page.getByLabel("Find a page").press("Enter");
  if (!/No page is called/.test(await page.locator(".map-status").textContent())) fail("an unknown title is not reported");

  // axe with the controls and a page found, in light and dark (a11y.mjs checks the whole page).
  await page.getByLabel("Find a page").fill(title);
  await page.getByLabel("Find a page").press("Enter");
  await page.addScriptTag({ content: axeSource });
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await page.evaluate(() =>
      window.axe.run({ include: [".map-figure"] }, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }),
    );
    for (const v of result.violations) fail(`axe [${scheme}] ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
  for (const url of outside) fail(`request left the site: ${url}`);
  for (const message of errors) fail(`script error: ${message}`);
  console.log(`${verdict.failed > failedBefore ? "FAIL" : "ok"} the map with JavaScript: ${labels} labels apart, zoom, pan, "${title}" found`);
  await context.close();
}

async function withoutJavaScript() {
  const failedBefore = verdict.failed;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const outside = [];
  await confine(page, server.origin, outside);
  await page.goto(address, { waitUntil: "load" });
  if ((await page.locator(".map-controls, .map-find, .map-zoom").count()) !== 0) fail("controls without JavaScript");
  const svg = page.locator("svg.site-map");
  if (!(await svg.isVisible())) fail("no map without JavaScript");
  const html = await (await fetch(address)).text();
  const written = html.match(/class="site-map[^"]*" viewBox="([^"]*)"/)[1];
  if ((await svg.getAttribute("viewBox")) !== written) fail("the viewBox is not the one weft wrote");
  if ((await page.locator("svg.site-map a[href]").count()) === 0) fail("the map has no links");
  for (const url of outside) fail(`request left the site: ${url}`);
  console.log(`${verdict.failed > failedBefore ? "FAIL" : "ok"} the map without JavaScript`);
  await context.close();
}

try {
  await withJavaScript();
  await withoutJavaScript();
} finally {
  await browser.close();
  await server.close();
}
verdict.exit();
