// Prints the text of a PDF as pdf.js (Firefox) reads it: getTextContent per
// page, items joined as the viewer's find and copy do (an end of line where
// pdf.js marks one). Usage: node pdfjs_text.mjs FILE.pdf  (NODE_PATH → pdfjs-dist)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const entry = require.resolve("pdfjs-dist/legacy/build/pdf.mjs");
const pdfjs = await import(pathToFileURL(entry).href);
const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await pdfjs.getDocument({ data, useSystemFonts: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  let text = "";
  for (const item of content.items) {
    if (!("str" in item)) continue;
    text += item.str;
    if (item.hasEOL) text += "\n";
  }
  pages.push(text);
}
process.stdout.write(pages.join("\f"));
