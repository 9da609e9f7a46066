// Link previews in the browser: hovering a link to another page for about 300 ms, or reaching it
// with Tab, opens a card with that page's title, description and first text; a link to a
// heading shows that section alone; Escape and moving away close it; the card stays inside the
// window; one request per page; no card on a touch screen or without JavaScript; axe finds no
// violation with a card open, in light and dark; no request leaves the site.
//
//   cd tests/browser && npm ci && WEFT_PUBLIC=../../target/fixture-site WEFT_BASE_PATH=/docs/ node previews.mjs

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { BASE_PATH, confine, launch, serve, verdicts } from "./lib.mjs";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const server = await serve();
const browser = await launch();
const verdict = verdicts();
const { fail, check } = verdict;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// guide/second links to the elements page and to its "Table" section.
const PAGE = `${server.origin}${BASE_PATH}guide/second/`;
const TARGET = `${BASE_PATH}guide/elements/`;
const TO_PAGE = `main .content a[href="${TARGET}"]`;
const TO_SECTION = `main .content a[href="${TARGET}#table"]`;
// Text from the elements page: its description, its first paragraph, its "Table" section,
// the sections before and after that one, and its last words.
const DESCRIPTION = "Headings, lists, tables, code, quotes, alerts and footnotes.";
const FIRST = "A paragraph with strong";
const TABLE = "Whether to build the search index";
const BEFORE = "Two and a half";
const AFTER = "Hello, weft!";
const LAST = "Text under it.";

/** Opens PAGE in a new context; `run(page, seen)` does the checks; `seen.fetches` counts requests for TARGET. */
async function visit(name, options, run) {
  const before = verdict.failed;
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const seen = { outside: [], errors: [], fetches: 0, navigations: 0 };
  page.on("pageerror", (err) => seen.errors.push(err.message));
  page.on("request", (request) => {
    if (request.isNavigationRequest()) seen.navigations += 1;
    else if (new URL(request.url()).pathname === TARGET) seen.fetches += 1;
  });
  await confine(page, server.origin, seen.outside);
  await page.goto(PAGE);
  await run(page, seen);
  check(seen.errors.length === 0, `${name}: script errors: ${seen.errors.join("; ")}`);
  check(seen.outside.length === 0, `${name}: requests left the site: ${seen.outside.join(", ")}`);
  console.log(`${verdict.failed > before ? "FAIL" : "ok"} ${name}`);
  await context.close();
}

const card = (page) => page.locator(".link-preview");
const isOpen = (page) => card(page).isVisible();
const opens = (page, timeout = 3000) =>
  card(page).waitFor({ state: "visible", timeout }).then(() => true, () => false);
const closes = (page, timeout = 1500) =>
  card(page).waitFor({ state: "hidden", timeout }).then(() => true, () => false);
const cardText = (page) =>
  card(page).textContent({ timeout: 1000 }).then((t) => t.replace(/\s+/g, " "), () => "");

/** Whether the open card lies inside the window. */
async function inWindow(page) {
  const box = await card(page).boundingBox();
  const size = page.viewportSize();
  return box && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

/** axe's violations on the page as it is, card included, once the card has finished appearing. */
async function axe(page) {
  await page.waitForFunction(() => document.querySelector(".link-preview").getAnimations().length === 0);
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Presses Tab until `selector` has the focus; false if it never does. */
async function tabTo(page, selector) {
  const target = page.locator(selector);
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((a) => a === document.activeElement)) return true;
  }
  return false;
}

// The mouse, in light mode.
await visit("previews on hover", { colorScheme: "light", viewport: { width: 1280, height: 720 } }, async (page, seen) => {
  // The time from the pointer reaching the link to the card showing, taken in the page.
  await page.evaluate((selector) => {
    const link = document.querySelector(selector);
    window.previewTimes = {};
    link.addEventListener("pointerover", () => { window.previewTimes.over ??= performance.now(); });
    new MutationObserver(() => {
      const shown = document.querySelector(".link-preview:not([hidden])");
      if (shown) window.previewTimes.shown ??= performance.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["hidden"] });
  }, TO_PAGE);
  await page.hover(TO_PAGE);
  const opened = await opens(page);
  check(opened, "hovering a link to another page opens no card");
  if (!opened) return;
  const times = await page.evaluate(() => window.previewTimes);
  const wait = times.shown - times.over;
  check(wait >= 250 && wait < 2000, `the card opened ${Math.round(wait)} ms after the pointer reached the link, not about 300`);
  const text = await cardText(page);
  check(text.includes("Every element"), `the card lacks the target's title: ${text}`);
  check(text.includes(DESCRIPTION), "the card lacks the target's description");
  check(text.includes(FIRST), "the card lacks the start of the target's content");
  check(!text.includes(LAST), "the card shows the whole page, not its start");
  check((await card(page).getAttribute("role")) === "tooltip", "the card is not a tooltip");
  const described = await page.locator(TO_PAGE).evaluate((a) => {
    const ids = (a.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    return ids.length > 0 && ids.every((id) => document.querySelector(".link-preview").contains(document.getElementById(id)));
  });
  check(described, "the link is not described by its card");
  check(await inWindow(page), "the card is not inside the window");
  const motion = await card(page).evaluate((c) => getComputedStyle(c).animationName);
  check(motion !== "none", "the card does not fade in without prefers-reduced-motion");
  check((await card(page).locator("[id]:not(#weftPreviewHead), [tabindex='0']").count()) === 0, "the card copies ids or tab stops of the page it shows");
  check((await card(page).locator("a:not([tabindex='-1'])").count()) === 0, "the card's links are in the tab order");

  // The pointer can move onto the card; leaving both closes it.
  const box = await card(page).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 10, { steps: 5 });
  await sleep(600);
  check(await isOpen(page), "the card closes when the pointer moves onto it");
  // Straight to the header's corner, over no other link.
  await page.mouse.move(2, 2);
  check(await closes(page), "the card stays open when the pointer has left the link and the card");

  // Escape closes it, and it stays closed while the pointer rests on the link.
  await page.hover(TO_PAGE);
  check(await opens(page), "hovering the link again opens no card");
  await page.keyboard.press("Escape");
  check(await closes(page, 1000), "Escape does not close the card");
  await sleep(600);
  check(!(await isOpen(page)), "the card comes back after Escape while the pointer stays");

  // A link to a heading: that section, and nothing before or after it.
  await page.hover(TO_SECTION);
  check(await opens(page), "hovering a link to a heading opens no card");
  await page.waitForFunction((t) => document.querySelector(".link-preview").textContent.includes(t), "Table");
  const section = await cardText(page);
  check(section.includes("Table") && section.includes(TABLE), `the card of ${TARGET}#table lacks its section: ${section}`);
  for (const other of [FIRST, BEFORE, AFTER, DESCRIPTION]) {
    check(!section.includes(other), `the card of ${TARGET}#table shows "${other}", from outside its section`);
  }
  check(seen.fetches === 1, `the two links to one page fetched it ${seen.fetches} times, not once`);

  // No card for links the reader already sees: the breadcrumbs, and this page's own headings.
  await page.mouse.move(0, 0);
  await closes(page);
  await page.hover("main .breadcrumbs a >> nth=-1");
  await sleep(700);
  check(!(await isOpen(page)), "a breadcrumb opens a card");

  // A link to a page's old address (an alias, which redirects): the card of the page it moved to.
  await page.mouse.move(0, 0);
  await closes(page);
  await page.locator("main .content p").first().evaluate((p, href) => {
    const a = Object.assign(document.createElement("a"), { href, textContent: "the old address" });
    a.id = "weftTestAlias";
    p.append(" ", a);
  }, `${BASE_PATH}old/elements/`);
  await page.hover("#weftTestAlias");
  check(await opens(page), "hovering a link to a moved page opens no card");
  const moved = await cardText(page);
  check(moved.includes("Every element") && !moved.includes("Moved"), `the card of a moved page is not the page it moved to: ${moved}`);
  await page.mouse.move(0, 0);
  await closes(page);

  await page.hover(TO_PAGE);
  check(await opens(page), "no card to check with axe");
  const violations = await axe(page);
  check(violations.length === 0, `axe, light, card open: ${violations.join("; ")}`);
});

// The keyboard, in dark mode, with reduced motion.
await visit("previews on keyboard focus", { colorScheme: "dark", reducedMotion: "reduce" }, async (page) => {
  check(await tabTo(page, TO_PAGE), "Tab never reaches the link");
  const opened = await opens(page);
  check(opened, "focusing a link with the keyboard opens no card");
  if (!opened) return;
  check((await cardText(page)).includes(FIRST), "the card opened by the keyboard lacks the target's text");
  const motion = await card(page).evaluate((c) => getComputedStyle(c).animationName);
  check(motion === "none", "the card moves despite prefers-reduced-motion");
  const violations = await axe(page);
  check(violations.length === 0, `axe, dark, card open: ${violations.join("; ")}`);
  await page.keyboard.press("Escape");
  check(await closes(page, 1000), "Escape does not close a card opened by the keyboard");
  check(await page.locator(TO_PAGE).evaluate((a) => a === document.activeElement), "Escape moved the focus");
  // The next Tab reaches the next link, not the card: then the section's card shows.
  await page.keyboard.press("Tab");
  check(await page.locator(TO_SECTION).evaluate((a) => a === document.activeElement), "Tab went into the card");
  check(await opens(page), "focusing a link to a heading opens no card");
  await page.waitForFunction((t) => document.querySelector(".link-preview").textContent.includes(t), TABLE);
  // The focus moving elsewhere closes it.
  await page.locator("#weftMain").focus();
  check(await closes(page), "the card stays open when the focus leaves its link");
});

// A touch screen: a tap navigates, no card.
await visit("no previews on touch", { hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } }, async (page, seen) => {
  const navigations = seen.navigations;
  await page.tap(TO_PAGE);
  await sleep(700);
  check(!(await isOpen(page)), "a tap opens a card");
  check(seen.navigations > navigations, "a tap on a link does not navigate");
});

// Without JavaScript: links only.
await visit("no previews without JavaScript", { javaScriptEnabled: false }, async (page, seen) => {
  await page.hover(TO_PAGE);
  await sleep(700);
  check((await card(page).count()) === 0, "a card exists without JavaScript");
  check(seen.fetches === 0, "the target page was fetched without JavaScript");
  check((await page.locator(TO_SECTION).getAttribute("href")) === `${TARGET}#table`, "the link to a heading is not a plain link");
});

await browser.close();
await server.close();
verdict.exit();
