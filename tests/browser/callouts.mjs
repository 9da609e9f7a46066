// Folded callouts (`> [!faq]-`) are <details>: they open and close with the keyboard alone,
// and with JavaScript off.
//
//   cd tests/browser && npm ci && WEFT_PUBLIC=../../target/fixture-site WEFT_BASE_PATH=/docs/ node callouts.mjs

import { BASE_PATH, launch, serve, verdicts } from "./lib.mjs";

const server = await serve();
const browser = await launch();
const verdict = verdicts();
const { fail } = verdict;

for (const javaScript of [true, false]) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  await page.goto(`${server.origin}${BASE_PATH}guide/notes/`);
  const folded = page.locator("details.callout[data-callout=faq]");
  const open = () => folded.evaluate((d) => d.open);
  if (await open()) fail("the folded callout starts open");
  // Tab from the top of the page until the callout's summary has the focus.
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await folded.locator("summary").evaluate((s) => s === document.activeElement);
  }
  if (!reached) fail("Tab never reaches the folded callout's title");
  await page.keyboard.press("Enter");
  if (!(await open())) fail("Enter does not open the folded callout");
  const answer = folded.locator("p", { hasText: "Its answer" });
  if (!(await answer.isVisible())) fail("the opened callout's answer is not shown");
  await page.keyboard.press("Space");
  if (await open()) fail("Space does not fold it again");
  if (!(await page.locator("details.callout[data-callout=tip]").evaluate((d) => d.open))) {
    fail("a `+` callout does not start open");
  }
  console.log(`${verdict.failed ? "FAIL" : "ok"} folded callouts with JavaScript ${javaScript ? "on" : "off"}`);
  await context.close();
}

await browser.close();
await server.close();
verdict.exit();
