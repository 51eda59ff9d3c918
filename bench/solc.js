#!/usr/bin/env node
// Compiles a solc standard-JSON input (stdin) with the npm `solc` pinned for Morpho Blue (package alias
// `solc-0.8.19` in bench/package.json) and prints the standard-JSON output. Imports are looked up under
// bench/ and bench/node_modules, so Morpho Blue compiles from its npm package, never from a copy.
"use strict";
const fs = require("fs");
const path = require("path");

const benchRoot = __dirname;
const solc = require(require.resolve("solc-0.8.19", { paths: [benchRoot] }));
const roots = [benchRoot, path.join(benchRoot, "node_modules")];

if (process.argv.includes("--version")) {
  process.stdout.write(solc.version() + "\n");
  process.exit(0);
}

function findImports(importPath) {
  for (const root of roots) {
    const candidate = path.resolve(root, importPath);
    // Only files under the bench roots: a source must not pull in arbitrary files through "../".
    if (!candidate.startsWith(root + path.sep)) continue;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return { contents: fs.readFileSync(candidate, "utf8") };
    }
  }
  return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
}

const input = fs.readFileSync(0, "utf8");
process.stdout.write(solc.compile(input, { import: findImports }));
