#!/usr/bin/env node
// A `solc` executable for py-solc-x / ape-solidity, backed by the npm `solc` (solcjs) package.
// Why: no native solc can be downloaded on our machines; solcjs ships inside an npm package.
// Supports what py-solc-x uses: --version, and --standard-json with --base-path / --allow-paths /
// --include-path, reading the JSON input from stdin (or a file argument) and writing JSON to stdout.
"use strict";
const fs = require("fs");
const path = require("path");

const projectRoot = path.resolve(__dirname, "..", "..");
const solc = require(require.resolve("solc", { paths: [projectRoot] }));

function parseArgs(argv) {
  const opts = { roots: [], standardJson: false, version: false, inputFile: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inlineValue] = arg.includes("=") ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => (inlineValue !== undefined ? inlineValue : argv[++i]);
    switch (flag) {
      case "--version": opts.version = true; break;
      case "--standard-json": opts.standardJson = true; break;
      case "--base-path": case "--include-path": opts.roots.push(value()); break;
      case "--allow-paths": opts.roots.push(...value().split(",").filter(Boolean)); break;
      default:
        if (!flag.startsWith("-")) opts.inputFile = flag;
    }
  }
  return opts;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.version) {
    // Same shape as native solc so that py-solc-x can parse the version.
    const long = solc.version().replace(".Emscripten.clang", "");
    process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${long}.Linux.g++\n`);
    return;
  }
  if (!opts.standardJson) {
    process.stderr.write("solc-bridge: only --version and --standard-json are supported\n");
    process.exit(2);
  }
  const input = fs.readFileSync(opts.inputFile || 0, "utf8");
  const roots = [process.cwd(), ...opts.roots].map((r) => path.resolve(r));
  const findImports = (importPath) => {
    const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.join(r, importPath));
    for (const candidate of candidates) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        return { contents: fs.readFileSync(candidate, "utf8") };
      }
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
  };
  process.stdout.write(solc.compile(input, { import: findImports }));
}

main();
