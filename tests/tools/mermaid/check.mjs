// Parse and render Mermaid files with the real mermaid (through mermaid-cli) in ONE headless Chromium.
// Usage: node check.mjs OUT_DIR FILE.mmd...   Prints one JSON line per file: {"file", "ok", "error"}.
// Exit 0 when every file rendered, 1 otherwise. Installed by scripts/setup.sh --test into .tools/mermaid/.
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import puppeteer from "puppeteer";
import { renderMermaid } from "@mermaid-js/mermaid-cli";

const [outDir, ...files] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
let failed = 0;
try {
  for (const file of files) {
    try {
      const definition = await readFile(file, "utf8");
      const { data } = await renderMermaid(browser, definition, "svg", { mermaidConfig: { securityLevel: "strict" } });
      const svg = Buffer.from(data).toString("utf8");
      if (svg.includes("Syntax error in text")) throw new Error("mermaid drew its syntax-error picture");
      await writeFile(join(outDir, basename(file) + ".svg"), svg);
      console.log(JSON.stringify({ file, ok: true }));
    } catch (err) {
      failed += 1;
      console.log(JSON.stringify({ file, ok: false, error: String(err && err.message || err).slice(0, 2000) }));
    }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
