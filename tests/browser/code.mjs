// Code blocks in the browser: the copy button (keyboard, without line numbers, absent without
// JavaScript), a Mermaid diagram drawn as SVG in the site's colours and redrawn when the
// theme changes, and math drawn from MathML; no request leaves the site.
//
//   cd tests/browser && npm ci && WEFT_PUBLIC=../../target/fixture-site WEFT_BASE_PATH=/docs/ node code.mjs

import { BASE_PATH, confine, launch, serve, verdicts } from "./lib.mjs";

const server = await serve();
const browser = await launch();
const verdict = verdicts();
const { fail, check } = verdict;
const URL_PATH = `${server.origin}${BASE_PATH}guide/code/`;
const RUST = 'fn main() {\n    let greeting = "Hello, <world>";\n    println!("{greeting}"); // says hello\n}';

// With JavaScript.
{
  const context = await browser.newContext({ colorScheme: "light" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
  const page = await context.newPage();
  const outside = [];
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await confine(page, server.origin, outside);
  await page.goto(URL_PATH);

  // The copy button of the first block, reached and pressed with the keyboard.
  const button = page.locator(".code-block").first().locator("button.code-copy");
  check((await page.locator("button.code-copy").count()) >= 6, "not every code block has a copy button");
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await button.evaluate((b) => b === document.activeElement);
  }
  check(reached, "Tab never reaches the first copy button");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".code-copy[data-copied]"));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied === RUST, `the copy button copied ${JSON.stringify(copied)}, not the code without line numbers`);
  check((await button.textContent()) === "Copied", "the button does not say it copied");
  const told = await page
    .waitForFunction(() => [...document.querySelectorAll("[role=status]")].some((s) => s.textContent === "Code copied"))
    .then(() => true, () => false);
  check(told, "no status tells a screen reader the code was copied");

  // Highlighted: classes, no inline colours; the marked line and the numbers.
  const rust = page.locator("pre.giallo").first();
  check((await rust.locator("span[class*='c-l-']").count()) > 3, "the Rust block has no highlighted tokens");
  check((await page.locator("pre.giallo [style]").count()) === 0, "highlighted code has inline styles");
  check((await rust.locator(".giallo-ln").first().textContent()).trim() === "1", "line numbers do not start at 1");
  check((await rust.locator(".giallo-l[class*='-hl']").count()) === 1, "hl_lines=2 does not mark one line");
  const lightColour = await rust.locator("span[class*='c-l-']").first().evaluate((s) => getComputedStyle(s).color);

  // The diagram: drawn as SVG, its source hidden.
  const diagram = page.locator(".mermaid-diagram svg");
  await diagram.waitFor({ timeout: 15000 });
  check(await page.locator("pre.mermaid-source").isHidden(), "the diagram's source still shows beside it");
  check((await diagram.textContent()).includes("Published"), "the diagram lacks its nodes' text");
  const lightSvg = await page.locator(".mermaid-diagram").innerHTML();

  // Math: MathML that the browser lays out.
  const math = page.locator("math").first();
  check((await math.boundingBox())?.width > 10, "inline math is not drawn");
  check(await page.locator("math[display=block]").count() >= 2, "display math is missing");
  check(!(await page.locator(".content").textContent()).includes("$A = "), "inline math shows its dollars");
  check((await page.locator(".content").textContent()).includes("$5 or $10"), "prices became math");

  // Dark: the toggle redraws the diagram in dark colours and recolours the code.
  await page.locator(".theme-toggle").click();
  await page.waitForFunction((before) => {
    const box = document.querySelector(".mermaid-diagram");
    return box && box.innerHTML !== before && box.querySelector("svg");
  }, lightSvg, { timeout: 15000 });
  const darkColour = await rust.locator("span[class*='c-l-']").first().evaluate((s) => getComputedStyle(s).color);
  check(darkColour !== lightColour, "the code keeps its light colours in dark mode");

  check(errors.length === 0, `script errors: ${errors.join("; ")}`);
  check(outside.length === 0, `requests left the site: ${outside.join(", ")}`);
  console.log(`${verdict.failed ? "FAIL" : "ok"} code, math and diagrams with JavaScript`);
  await context.close();
}

// Without JavaScript: no copy button, the diagram as its source; code and math as with it.
{
  const before = verdict.failed;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(URL_PATH);
  check((await page.locator("button.code-copy").count()) === 0, "a copy button shows without JavaScript");
  check(await page.locator("pre.mermaid-source").isVisible(), "the diagram's source is hidden without JavaScript");
  check((await page.locator("pre.giallo span[class*='c-l-']").count()) > 3, "code is not highlighted without JavaScript");
  check((await page.locator("math").first().boundingBox())?.width > 10, "math is not drawn without JavaScript");
  console.log(`${verdict.failed > before ? "FAIL" : "ok"} code, math and diagrams without JavaScript`);
  await context.close();
}

await browser.close();
await server.close();
verdict.exit();
