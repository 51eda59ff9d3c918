#!/usr/bin/env node
// OpenZeppelin's upgrade-safety validator on our own build-info files, with a machine-readable answer.
//
// Why a wrapper: the `@openzeppelin/upgrades-core validate` CLI exits 1 both when an upgrade is unsafe and when the
// tool itself failed (missing file, malformed build-info, unknown contract), and it prints prose. This prints JSON
// on stdout and tells the two apart by exit code: 0 safe, 1 unsafe, 2 tool error.
//
// Single check (the package's exported `validateUpgradeSafety()`, exactly what its CLI runs):
//   node tools/upgrades/validate.js --build-info <file|dir> --contract <Name|source:Name>
//        [--reference <Name|source:Name>] [--reference-build-info <file|dir>]
//        [--unsafe-allow kind1,kind2] [--unsafe-allow-renames]
//   -> {"ok", "contract", "reference", "errors": [{kind, contract, detail, ...}], "warnings", "explain"}
//   Without --reference-build-info the reference is looked up in --build-info (V1 and V2 compiled together).
//
// Batch (many pairs, each build-info read and validated once; the exported lower-level API —
// validate/getErrors/getStorageLayout/getStorageUpgradeReport — combined the way validateUpgradeSafety combines it):
//   node tools/upgrades/validate.js --batch <requests.json|->
//   requests: [{"id", "buildInfo", "contract", "reference"?, "referenceBuildInfo"?, "unsafeAllow"?: [...],
//               "unsafeAllowRenames"?}]
//   -> {"ok", "results": [<single result> + {"id", "toolError"?}], "warnings"}; exit 2 if any item had a tool
//      error, else 1 if any is unsafe, else 0.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const EXIT_SAFE = 0;
const EXIT_UNSAFE = 1;
const EXIT_TOOL_ERROR = 2;

const USAGE =
  "usage: validate.js --build-info <file|dir> --contract <name> [--reference <name>] " +
  "[--reference-build-info <file|dir>] [--unsafe-allow k1,k2] [--unsafe-allow-renames]\n" +
  "       validate.js --batch <requests.json|->";

// The validator's own default exclusion (cli/validate/default-exclude.js), applied to the batch path too.
const DEFAULT_EXCLUDE_SUFFIX = "/contracts/proxy/beacon/UpgradeableBeacon.sol";

class UsageError extends Error {}

// ------------------------------------------------------------------------------------------------ arguments

function parseArgs(argv) {
  const opts = { unsafeAllow: [], unsafeAllowRenames: false };
  const takesValue = {
    "--build-info": "buildInfo",
    "--contract": "contract",
    "--reference": "reference",
    "--reference-build-info": "referenceBuildInfo",
    "--unsafe-allow": "unsafeAllow",
    "--batch": "batch",
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes("=") ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    if (flag === "--help" || flag === "-h") throw new UsageError(USAGE);
    if (flag === "--unsafe-allow-renames") {
      opts.unsafeAllowRenames = true;
      continue;
    }
    const key = takesValue[flag];
    if (key === undefined) throw new UsageError(`unknown option ${flag}\n${USAGE}`);
    const value = inline !== undefined ? inline : argv[++i];
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value`);
    if (key === "unsafeAllow") opts.unsafeAllow.push(...value.split(",").filter(Boolean));
    else opts[key] = value;
  }
  if (opts.batch) return opts;
  if (!opts.buildInfo || !opts.contract) throw new UsageError(`--build-info and --contract are required\n${USAGE}`);
  if (opts.referenceBuildInfo && !opts.reference) throw new UsageError("--reference-build-info needs --reference");
  return opts;
}

// ------------------------------------------------------------------------------------------------ reports -> JSON

function fieldOf(op) {
  const item = op.updated && op.updated.label !== undefined ? op.updated : op.original;
  return item && item.label !== undefined ? item.label : undefined;
}

function storageErrors(layoutReport, contract) {
  if (layoutReport === undefined || layoutReport.ok) return [];
  const Report = layoutReport.constructor; // LayoutCompatibilityReport: one op at a time gives one explanation each
  return layoutReport.ops.map((op) => ({
    kind: `storage-${op.kind}`,
    contract: (op.updated && op.updated.contract) || (op.original && op.original.contract) || contract,
    field: fieldOf(op),
    namespace: op.namespace,
    originalType: op.original && op.original.type ? op.original.type.item.label : undefined,
    updatedType: op.updated && op.updated.type ? op.updated.type.item.label : undefined,
    originalSrc: op.original ? op.original.src : undefined,
    updatedSrc: op.updated ? op.updated.src : undefined,
    detail: new Report([op]).explain(false),
  }));
}

function standaloneErrors(core, standaloneReport, contract) {
  if (standaloneReport.ok) return [];
  return standaloneReport.errors.map((e) => ({
    kind: e.kind,
    contract: e.contract || contract,
    name: e.name,
    src: e.src,
    detail: new core.UpgradeableContractErrorReport([e]).explain(false),
  }));
}

function toolErrorResult(err, contract, reference) {
  const message = err instanceof UsageError ? err.message : `${err.name || "Error"}: ${err.message}`;
  return {
    ok: false,
    toolError: true,
    contract: contract || null,
    reference: reference || null,
    errors: [{ kind: "tool-error", contract: contract || null, detail: message }],
    explain: message,
  };
}

// OpenZeppelin logs notes through console.error; they belong in the JSON, not on a terminal between results.
const warnings = [];
function captureWarnings() {
  console.error = (...args) => {
    const text = args.map(String).join(" ").trim();
    if (text && !warnings.includes(text)) warnings.push(text);
  };
}

function loadCore() {
  const projectRoot = path.resolve(__dirname, "..", "..");
  return require(require.resolve("@openzeppelin/upgrades-core", { paths: [projectRoot, process.cwd()] }));
}

// ------------------------------------------------------------------------------------------------ single

// validateUpgradeSafety reads directories and names a second directory by its basename, which must differ from
// the main one. Our inputs may be single files (build-info/<Contract>-<version>.json) or two folders with the same
// basename, so each input is staged as a symlink under a fresh temporary folder with a fixed, distinct name.
function stage(tmp, shortName, target) {
  const resolved = path.resolve(target);
  if (!fs.existsSync(resolved)) throw new UsageError(`${target}: no such file or directory`);
  const staged = path.join(tmp, shortName);
  if (fs.statSync(resolved).isDirectory()) {
    fs.symlinkSync(resolved, staged, "dir");
  } else {
    fs.mkdirSync(staged);
    fs.symlinkSync(resolved, path.join(staged, path.basename(resolved).replace(/(\.json)?$/, ".json")));
  }
  return staged;
}

async function single(opts) {
  const core = loadCore();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-oz-validate-"));
  const unstage = (text) => (typeof text === "string" ? text.split(tmp + path.sep).join("") : text);
  try {
    const mainDir = stage(tmp, "candidate", opts.buildInfo);
    let reference = opts.reference;
    const referenceDirs = [];
    if (opts.referenceBuildInfo && path.resolve(opts.referenceBuildInfo) !== path.resolve(opts.buildInfo)) {
      referenceDirs.push(stage(tmp, "reference", opts.referenceBuildInfo));
      reference = `reference:${reference}`;
    }
    const validationOpts = { unsafeAllow: opts.unsafeAllow, unsafeAllowRenames: opts.unsafeAllowRenames };
    let report;
    try {
      report = await core.validateUpgradeSafety(mainDir, opts.contract, reference, validationOpts, referenceDirs);
    } catch (err) {
      err.message = unstage(err.message);
      throw err;
    }
    const errors = [];
    for (const r of report.upgradeableContractReports) {
      errors.push(...standaloneErrors(core, r.standaloneReport, r.contract), ...storageErrors(r.storageLayoutReport, r.contract));
    }
    const first = report.upgradeableContractReports[0];
    return {
      ok: report.ok,
      contract: first ? first.contract : opts.contract,
      reference: first && first.reference ? first.reference.replace(/^reference:/, "") : null,
      errors,
      explain: unstage(report.explain(false)),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true }); // removes the symlinks, never their targets
  }
}

// ------------------------------------------------------------------------------------------------ batch

function makeLoader(core) {
  const cache = new Map();
  return function load(file) {
    const key = path.resolve(file);
    if (cache.has(key)) return cache.get(key);
    if (!fs.existsSync(key) || !fs.statSync(key).isFile()) throw new UsageError(`${file}: no such build-info file`);
    let json;
    try {
      json = JSON.parse(fs.readFileSync(key, "utf8"));
    } catch (err) {
      throw new UsageError(`${file}: not JSON (${err.message})`);
    }
    const { input, output, solcVersion } = json || {};
    if (!input || !output || !solcVersion) {
      throw new UsageError(`${file}: a build-info needs input, output and solcVersion (format ${json && json._format})`);
    }
    const selection = (input.settings && input.settings.outputSelection) || {};
    const complete = Object.keys(selection).length > 0 &&
      Object.values(selection).every((s) => Array.isArray(s && s["*"]) && s["*"].includes("storageLayout"));
    if (!complete) throw new UsageError(`${file}: compiler outputSelection lacks storageLayout for all contracts`);
    const decodeSrc = core.solcInputOutputDecoder(input, output);
    const entry = { file, output, validation: core.validate(output, decodeSrc, solcVersion, input) };
    cache.set(key, entry);
    return entry;
  };
}

function resolveName(buildInfo, name) {
  const contracts = buildInfo.output.contracts || {};
  if (name.includes(":")) {
    const i = name.lastIndexOf(":");
    const [source, contract] = [name.slice(0, i), name.slice(i + 1)];
    if (contracts[source] && contracts[source][contract]) return name;
    throw new UsageError(`${name}: not in ${buildInfo.file}`);
  }
  const matches = [];
  for (const [source, byName] of Object.entries(contracts)) if (byName[name]) matches.push(`${source}:${name}`);
  if (matches.length === 0) throw new UsageError(`${name}: not in ${buildInfo.file}`);
  if (matches.length > 1) throw new UsageError(`${name} is ambiguous in ${buildInfo.file}: ${matches.join(", ")}`);
  return matches[0];
}

function versionOf(core, buildInfo, fqn) {
  try {
    return core.getContractVersion(buildInfo.validation, fqn);
  } catch (err) {
    if (/is abstract/.test(err.message)) throw new UsageError(`${fqn} is abstract: nothing to deploy or upgrade to`);
    throw err;
  }
}

function checkPair(core, load, item) {
  if (!item || !item.buildInfo || !item.contract) throw new UsageError("each request needs buildInfo and contract");
  const candidate = load(item.buildInfo);
  const contract = resolveName(candidate, item.contract);
  const version = versionOf(core, candidate, contract);
  let reference;
  let referenceVersion;
  let referenceData;
  if (item.reference) {
    referenceData = load(item.referenceBuildInfo || item.buildInfo);
    reference = resolveName(referenceData, item.reference);
    referenceVersion = versionOf(core, referenceData, reference);
  }
  const uups = core.inferProxyKind(candidate.validation, version) === "uups" ||
    (reference !== undefined && core.inferProxyKind(referenceData.validation, referenceVersion) === "uups");
  const opts = core.withValidationDefaults({
    unsafeAllow: item.unsafeAllow || [],
    unsafeAllowRenames: Boolean(item.unsafeAllowRenames),
    kind: uups ? "uups" : "transparent",
  });
  const found = core.getErrors(candidate.validation, version, opts)
    .filter((e) => !String(e.src).split(":")[0].endsWith(DEFAULT_EXCLUDE_SUFFIX));
  const standalone = new core.UpgradeableContractErrorReport(found);
  let layoutReport;
  if (reference !== undefined && !opts.unsafeSkipStorageCheck) {
    layoutReport = core.getStorageUpgradeReport(
      core.getStorageLayout(referenceData.validation, referenceVersion),
      core.getStorageLayout(candidate.validation, version),
      opts,
    );
  }
  const ok = standalone.ok && (layoutReport === undefined || layoutReport.ok);
  const explain = [standalone.ok ? "" : standalone.explain(false), layoutReport && !layoutReport.ok ? layoutReport.explain(false) : ""]
    .filter(Boolean)
    .join("\n\n");
  return {
    ok,
    contract,
    reference: reference || null,
    errors: [...standaloneErrors(core, standalone, contract), ...storageErrors(layoutReport, contract)],
    explain: explain || "SUCCESS",
  };
}

function batch(opts) {
  const core = loadCore();
  const load = makeLoader(core);
  let requests;
  try {
    requests = JSON.parse(fs.readFileSync(opts.batch === "-" ? 0 : opts.batch, "utf8"));
  } catch (err) {
    throw new UsageError(`${opts.batch}: cannot read the batch requests (${err.message})`);
  }
  if (!Array.isArray(requests)) throw new UsageError(`${opts.batch}: the batch must be a JSON array of requests`);
  const results = requests.map((item) => {
    let result;
    try {
      result = checkPair(core, load, item);
    } catch (err) {
      result = toolErrorResult(err, item && item.contract, item && item.reference);
    }
    return { id: item && item.id !== undefined ? item.id : null, ...result };
  });
  return results;
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
  let opts;
  let result;
  let code;
  captureWarnings();
  try {
    opts = parseArgs(process.argv.slice(2));
    if (opts.batch) {
      const results = batch(opts);
      code = results.some((r) => r.toolError) ? EXIT_TOOL_ERROR : results.every((r) => r.ok) ? EXIT_SAFE : EXIT_UNSAFE;
      result = { ok: code === EXIT_SAFE, results };
    } else {
      result = await single(opts);
      code = result.ok ? EXIT_SAFE : EXIT_UNSAFE;
    }
  } catch (err) {
    result = toolErrorResult(err, opts && opts.contract, opts && opts.reference);
    code = EXIT_TOOL_ERROR;
  }
  result.warnings = warnings;
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  process.exitCode = code;
}

main();
