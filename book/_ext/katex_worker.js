// Reads one JSON request per line from stdin: {"tex": "...", "display": true|false}
// and writes one JSON answer per line to stdout: {"html": "..."} or {"error": "..."}.
// Started once per build by book_katex.py.
"use strict";
const path = require("path");
const readline = require("readline");
const katex = require(path.resolve(process.argv[2]));

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let answer;
  try {
    const req = JSON.parse(line);
    answer = {
      html: katex.renderToString(req.tex, {
        displayMode: !!req.display,
        throwOnError: true,
        output: "htmlAndMathml",
        strict: "ignore",
        trust: false,
      }),
    };
  } catch (err) {
    answer = { error: String(err && err.message ? err.message : err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
