// Mermaid's own parser, without a browser: reads a JSON list of diagram texts on standard
// input and writes a JSON list with, for each, null (Mermaid accepts it) or Mermaid's error.
// Its modules are looked up beside this file (.ci/node_modules, installed by .ci/run).
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ["DOMParser", "Element", "HTMLElement", "Node", "SVGElement"]) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });  // the defaults GitHub and mermaid.live draw with

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    await mermaid.parse(text);
    results.push(null);
  } catch (error) {
    results.push(String((error && error.message) || error));
  }
}
process.stdout.write(JSON.stringify(results));
