"""Build-info: one standard-JSON solc compile, with the outputs an upgrade check needs, in Hardhat's format.

ape-solidity does not request ``storageLayout`` (nor keeps the solc input), so the safety check compiles the
sources itself through py-solc-x and writes ``hh-sol-build-info-1`` files: ``{_format, id, solcVersion,
solcLongVersion, input, output}``, with every imported source inlined in ``input.sources``. That is the format
OpenZeppelin's ``@openzeppelin/upgrades-core`` reads, and it is self-contained: a build-info kept in the repo
still describes the deployed implementation after its sources have moved on (see :class:`BuildInfoStore`).

Sources are resolved here, not by the compiler: imports are read from the files, relative imports are resolved
against the importing unit, and the ``@openzeppelin/...`` prefixes are mapped to the ``.deps`` copies (or
``node_modules``). Source unit names therefore stay the ones written in the code (``@openzeppelin/contracts/...``,
``contracts/...``, ``interfaces/...``), which is what the validator and humans read in reports.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from strata.upgrades.errors import BuildInfoError, ContractNotFound

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUILD_INFO_FORMAT = "hh-sol-build-info-1"
SOLC_VERSION = "0.8.28"



@functools.cache
def compiler_settings(root: Path = PROJECT_ROOT) -> dict[str, Any]:
    """The solc settings of ape-config.yaml's ``solidity:`` block (optimize, optimization_runs, evm_version,
    via_ir): the build-info must be compiled exactly as ape compiles what gets deployed."""
    solidity = yaml.safe_load((root / "ape-config.yaml").read_text())["solidity"]
    return {
        "optimizer": {"enabled": bool(solidity.get("optimize", True)), "runs": int(solidity.get("optimization_runs", 200))},
        "evmVersion": str(solidity["evm_version"]),
        "viaIR": bool(solidity.get("via_ir", False)),
    }

# The validator refuses a build-info whose wildcard selection lacks storageLayout; linkReferences is read by
# its linking check; the AST (per file, key "") is what both it and our own rules walk.
CONTRACT_OUTPUTS = [
    "abi",
    "storageLayout",
    "evm.bytecode.object",
    "evm.bytecode.linkReferences",
    "evm.methodIdentifiers",
]
OUTPUT_SELECTION = {"*": {"*": CONTRACT_OUTPUTS, "": ["ast"]}}

# Import prefix -> folders (relative to the project root) tried in order.
REMAPPINGS: dict[str, tuple[str, ...]] = {
    "@openzeppelin/contracts/": (".deps/openzeppelin-contracts/", "node_modules/@openzeppelin/contracts/"),
    "@openzeppelin/contracts-upgradeable/": (
        ".deps/openzeppelin-contracts-upgradeable/",
        "node_modules/@openzeppelin/contracts-upgradeable/",
    ),
}

# Comments or string literals: comments are blanked, strings kept, so that an import inside a comment is ignored.
_COMMENT_OR_STRING = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
_IMPORT = re.compile(r'\bimport\s+(?:[^;"\']*?\bfrom\s+)?["\']([^"\']+)["\']')


# --------------------------------------------------------------------------------------------------- sources


def _strip_comments(text: str) -> str:
    return _COMMENT_OR_STRING.sub(lambda m: m.group(0) if m.group(0)[0] in "\"'" else " ", text)


def imports_of(text: str) -> list[str]:
    """Import paths of a Solidity source, in order, as written."""
    return _IMPORT.findall(_strip_comments(text))


def resolve_import(importer: str, path: str) -> str:
    """Source unit name of ``path`` imported from the unit ``importer`` (solc's rule for ``./`` and ``../``)."""
    if path.startswith("./") or path.startswith("../"):
        return posixpath.normpath(posixpath.join(posixpath.dirname(importer), path))
    return path


def source_file(unit: str, root: Path = PROJECT_ROOT) -> Path:
    """File on disk that holds the source unit ``unit``."""
    for prefix, targets in REMAPPINGS.items():
        if unit.startswith(prefix):
            rest = unit[len(prefix):]
            for target in targets:
                candidate = root / target / rest
                if candidate.is_file():
                    return candidate
            raise BuildInfoError(f"{unit}: not found under {', '.join(targets)} (run `make install`)")
    candidate = root / unit
    if not candidate.is_file():
        raise BuildInfoError(f"{unit}: no such source under {root}")
    return candidate


def unit_name(path: str | Path, root: Path = PROJECT_ROOT) -> str:
    """Source unit name of a project file given as an absolute path or a path relative to ``root``."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(root.resolve())
        except ValueError as err:
            raise BuildInfoError(f"{path}: outside the project root {root}") from err
    return p.as_posix()


def collect_sources(entry_points: Iterable[str | Path], root: Path = PROJECT_ROOT) -> dict[str, str]:
    """Every source unit the entry points need (transitively), name -> content, in discovery order."""
    sources: dict[str, str] = {}
    pending = [unit_name(e, root) for e in entry_points]
    if not pending:
        raise BuildInfoError("no source to compile")
    while pending:
        unit = pending.pop(0)
        if unit in sources:
            continue
        text = source_file(unit, root).read_text()
        sources[unit] = text
        pending.extend(resolve_import(unit, imp) for imp in imports_of(text))
    return sources


def make_input(sources: dict[str, str]) -> dict[str, Any]:
    """The solc standard-JSON input of a build-info (sources sorted, so the same code gives the same id)."""
    return {
        "language": "Solidity",
        "sources": {name: {"content": sources[name]} for name in sorted(sources)},
        "settings": {**json.loads(json.dumps(compiler_settings())), "outputSelection": OUTPUT_SELECTION},
    }


# --------------------------------------------------------------------------------------------------- compile


def solc_binary(version: str = SOLC_VERSION) -> Path:
    """The solc executable py-solc-x would use: ``$SOLCX_BINARY_PATH/solc-v<version>`` (or ``./.solcx``)."""
    folder = os.environ.get("SOLCX_BINARY_PATH") or str(PROJECT_ROOT / ".solcx")
    binary = Path(folder) / f"solc-v{version}"
    if not binary.exists():
        raise BuildInfoError(f"no solc {version} at {binary} (set SOLCX_BINARY_PATH or run `make install`)")
    return binary


@functools.lru_cache(maxsize=4)
def solc_long_version(binary: Path) -> str:
    """``0.8.28+commit.7893614a``: the version line of ``solc --version`` without the platform suffix."""
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"Version:\s*(\d+\.\d+\.\d+(?:\+commit\.[0-9a-f]+)?)", out)
    if not match:
        raise BuildInfoError(f"{binary} --version printed no version: {out.strip()[:200]!r}")
    return match.group(1)


def _format_errors(errors: list[dict[str, Any]]) -> str:
    lines = []
    for err in errors:
        if err.get("severity") != "error":
            continue
        loc = err.get("sourceLocation") or {}
        where = f"{loc.get('file')}: " if loc.get("file") else ""
        lines.append(f"{where}{err.get('type', 'Error')}: {err.get('message')}")
    return "; ".join(lines)


DEFAULT_CACHE_DIR = PROJECT_ROOT / ".build" / "upgrades"


def compile_sources(
    sources: dict[str, str], *, binary: Path | None = None, cache_dir: Path | None | bool = None
) -> "BuildInfo":
    """Compiles ``sources`` (unit name -> content) in one solc call into a :class:`BuildInfo`.

    ``cache_dir``: build-infos are kept there by input hash, so the same sources and settings are compiled once
    (``None``: ``.build/upgrades``, cleared by ``make clean``; ``False``: always compile).
    """
    import solcx
    from solcx.exceptions import SolcError

    binary = binary or solc_binary()
    solc_input = make_input(sources)
    build_id = input_id(solc_input)
    cached = None
    if cache_dir is not False:
        folder = Path(cache_dir) if isinstance(cache_dir, (str, Path)) else DEFAULT_CACHE_DIR
        cached = folder / f"solc-{SOLC_VERSION}-{build_id}.json"
        if cached.is_file():
            try:
                hit = BuildInfo.load(cached)
                if hit.id == build_id:
                    return hit
            except BuildInfoError:
                pass  # a damaged cache entry is recompiled and overwritten
    try:
        output = solcx.compile_standard(solc_input, solc_binary=binary)
    except SolcError as err:
        # py-solc-x raises on compile errors; its message starts with solc's formatted error and location.
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        raise BuildInfoError(f"solc failed: {' '.join(lines[:2]) or 'no output'}") from err
    failures = _format_errors(output.get("errors", []))
    if failures:
        raise BuildInfoError(f"solc failed: {failures}")
    long_version = solc_long_version(binary)
    result = BuildInfo(
        id=build_id,
        solc_version=long_version.split("+")[0],
        solc_long_version=long_version,
        input=solc_input,
        output=output,
    )
    if cached is not None:
        result.save(cached)  # result.path now names the cache entry (the validator reads it from there)
        _prune_cache(cached.parent, keep=CACHE_ENTRIES)
    return result


CACHE_ENTRIES = 24


def _prune_cache(folder: Path, keep: int) -> None:
    """Keeps the ``keep`` most recently written entries (each source change adds one of a few MB)."""
    entries = sorted(folder.glob("solc-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[keep:]:
        stale.unlink(missing_ok=True)


def compile_build_info(
    entry_points: Iterable[str | Path],
    *,
    root: Path = PROJECT_ROOT,
    binary: Path | None = None,
    cache_dir: Path | None | bool = None,
) -> "BuildInfo":
    """One build-info for the given source files (paths relative to ``root``) and everything they import."""
    return compile_sources(collect_sources(entry_points, root), binary=binary, cache_dir=cache_dir)


def input_id(solc_input: dict[str, Any]) -> str:
    # Hardhat names build-infos by a hash of the input; any stable digest will do for the validator.
    canonical = json.dumps(solc_input, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()[:32]


# --------------------------------------------------------------------------------------------------- model


@dataclass
class BuildInfo:
    """A solc input and its output, as written to (and read from) an ``hh-sol-build-info-1`` file."""

    id: str
    solc_version: str
    solc_long_version: str
    input: dict[str, Any]
    output: dict[str, Any]
    path: Path | None = field(default=None, compare=False)

    # ---- file format

    def to_json(self) -> dict[str, Any]:
        return {
            "_format": BUILD_INFO_FORMAT,
            "id": self.id,
            "solcVersion": self.solc_version,
            "solcLongVersion": self.solc_long_version,
            "input": self.input,
            "output": self.output,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], path: Path | None = None) -> "BuildInfo":
        where = path or "build-info"
        if not isinstance(data, dict) or data.get("_format") != BUILD_INFO_FORMAT:
            got = data.get("_format") if isinstance(data, dict) else type(data).__name__
            raise BuildInfoError(f"{where}: not an {BUILD_INFO_FORMAT} file (format {got!r})")
        missing = [k for k in ("id", "solcVersion", "solcLongVersion", "input", "output") if k not in data]
        if missing:
            raise BuildInfoError(f"{where}: missing {', '.join(missing)}")
        return cls(
            id=data["id"],
            solc_version=data["solcVersion"],
            solc_long_version=data["solcLongVersion"],
            input=data["input"],
            output=data["output"],
            path=path,
        )

    @classmethod
    def load(cls, path: str | Path) -> "BuildInfo":
        path = Path(path)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError as err:
            raise BuildInfoError(f"{path}: no such build-info") from err
        except json.JSONDecodeError as err:
            raise BuildInfoError(f"{path}: not JSON ({err})") from err
        return cls.from_json(data, path)

    def save(self, path: str | Path) -> Path:
        """Writes the file atomically (a crash never leaves half a reference behind)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(self.to_json(), fh, separators=(",", ":"))
            os.chmod(tmp, 0o644)  # mkstemp makes it private; kept build-infos are ordinary repo files
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.path = path
        return path

    # ---- queries

    def contracts(self) -> Iterator[tuple[str, str]]:
        """``(source unit, contract name)`` of every contract, interface and library compiled."""
        for source, by_name in self.output.get("contracts", {}).items():
            for name in by_name:
                yield source, name

    def find(self, name: str) -> str:
        """Fully qualified name (``source:Contract``) of ``name``, given as a plain or fully qualified name."""
        if ":" in name:
            source, _, contract = name.rpartition(":")
            if contract in self.output.get("contracts", {}).get(source, {}):
                return name
            raise ContractNotFound(f"{name}: not in build-info {self.label}")
        matches = [f"{s}:{n}" for s, n in self.contracts() if n == name]
        if not matches:
            raise ContractNotFound(f"{name}: not in build-info {self.label}")
        if len(matches) > 1:
            raise ContractNotFound(f"{name} is ambiguous in build-info {self.label}: {', '.join(matches)}")
        return matches[0]

    def subset(self, contracts: Iterable[str]) -> "BuildInfo":
        """The part of this build-info that ``contracts`` need: their sources and everything those import.

        Node ids stay those of this compile (solc would number a separate compile differently), so use it to hand
        a smaller file to the validator; keep deployed versions with :meth:`BuildInfoStore.record` (a real compile).
        """
        sources = self.input["sources"]
        pending = [self.find(c).rpartition(":")[0] for c in contracts]
        keep: set[str] = set()
        while pending:
            unit = pending.pop()
            if unit in keep:
                continue
            keep.add(unit)
            pending.extend(resolve_import(unit, imp) for imp in imports_of(sources[unit]["content"]))
        solc_input = {**self.input, "sources": {u: sources[u] for u in sorted(keep)}}
        output = {
            **{k: v for k, v in self.output.items() if k not in ("sources", "contracts", "errors")},
            "sources": {u: v for u, v in self.output.get("sources", {}).items() if u in keep},
            "contracts": {u: v for u, v in self.output.get("contracts", {}).items() if u in keep},
        }
        return BuildInfo(
            id=input_id(solc_input),
            solc_version=self.solc_version,
            solc_long_version=self.solc_long_version,
            input=solc_input,
            output=output,
        )

    def contract_output(self, fqn: str) -> dict[str, Any]:
        source, _, name = fqn.rpartition(":")
        return self.output["contracts"][source][name]

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.id[:12]

    @functools.cached_property
    def nodes(self) -> dict[int, dict[str, Any]]:
        """Every AST node with an id, across all sources (ids are unique within one compile)."""
        index: dict[int, dict[str, Any]] = {}
        stack = [src["ast"] for src in self.output.get("sources", {}).values() if "ast" in src]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if "id" in node and "nodeType" in node:
                    index[node["id"]] = node
                stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                stack.extend(node)
        return index

    def contract_node(self, fqn: str) -> dict[str, Any]:
        source, _, name = fqn.rpartition(":")
        ast = self.output["sources"][source]["ast"]
        for node in ast["nodes"]:
            if node.get("nodeType") == "ContractDefinition" and node.get("name") == name:
                return node
        raise ContractNotFound(f"{fqn}: no contract definition in the AST of {self.label}")

    def source_text(self, source: str) -> str:
        return self.input["sources"][source]["content"]


@dataclass(frozen=True)
class ContractRef:
    """One contract of one build-info: what :func:`strata.upgrades.check_upgrade` compares.

    ``contract`` is a plain name (``ModuleRegistry``) or a fully qualified one
    (``contracts/registry/ModuleRegistry.sol:ModuleRegistry``); ``build_info`` a :class:`BuildInfo` or a path.
    """

    build_info: BuildInfo | Path | str
    contract: str

    def load(self) -> BuildInfo:
        if isinstance(self.build_info, BuildInfo):
            return self.build_info
        return BuildInfo.load(self.build_info)

    @property
    def name(self) -> str:
        return self.contract.rpartition(":")[2]


# --------------------------------------------------------------------------------------------------- store


_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+\-]*$")


def _version_key(version: str) -> tuple[Any, ...]:
    core, _, pre = version.partition("-")
    nums = tuple(int(p) if p.isdigit() else 0 for p in core.split("+")[0].split("."))
    # A release sorts after its pre-releases (1.0.0-rc1 < 1.0.0).
    return nums, (0, pre) if pre else (1, "")


class BuildInfoStore:
    """The build-info of every deployed implementation, kept in the repo: ``build-info/<Contract>-<version>.json``.

    It is the reference the next upgrade of that contract is checked against (storage layout, ABI,
    reinitializer version), even after the contract's sources have changed. A stored version is immutable:
    recording it again with different code is refused (bump the version instead).
    """

    DEFAULT_DIR = PROJECT_ROOT / "build-info"

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else self.DEFAULT_DIR

    def path_for(self, contract: str, version: str) -> Path:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", contract):
            raise BuildInfoError(f"{contract!r}: not a contract name")
        if not _VERSION.match(version):
            raise BuildInfoError(f"{version!r}: not a version")
        return self.root / f"{contract}-{version}.json"

    def save(self, contract: str, version: str, build_info: BuildInfo, *, replace: bool = False) -> Path:
        """Keeps ``build_info`` as the reference of ``contract`` at ``version``; returns the file."""
        build_info.find(contract)  # refuse a build-info that does not hold the contract
        path = self.path_for(contract, version)
        if path.exists() and not replace:
            kept = BuildInfo.load(path)
            if kept.id != build_info.id:
                raise BuildInfoError(
                    f"{path} already holds {contract} {version} compiled from other sources; "
                    "a deployed version is immutable: bump the version"
                )
            return path
        return build_info.save(path)

    def record(self, contract: str, version: str, source: str | Path, *, replace: bool = False) -> Path:
        """Compiles ``source`` (a project file) and keeps the result as ``contract`` at ``version``."""
        return self.save(contract, version, compile_build_info([source], cache_dir=False), replace=replace)

    def load(self, contract: str, version: str) -> BuildInfo:
        path = self.path_for(contract, version)
        if not path.exists():
            known = ", ".join(self.versions(contract)) or "none"
            raise BuildInfoError(f"no build-info for {contract} {version} in {self.root} (kept: {known})")
        return BuildInfo.load(path)

    def versions(self, contract: str) -> list[str]:
        """Kept versions of ``contract``, oldest first."""
        if not self.root.is_dir():
            return []
        prefix = f"{contract}-"
        found = [p.name[len(prefix):-len(".json")] for p in self.root.glob(f"{contract}-*.json")]
        # "Foo-1.0.0" must not match a contract named "Foo-Bar": versions start with an alphanumeric.
        return sorted((v for v in found if _VERSION.match(v) and not v.startswith("-")), key=_version_key)

    def latest(self, contract: str) -> str:
        versions = self.versions(contract)
        if not versions:
            raise BuildInfoError(f"no build-info kept for {contract} in {self.root}")
        return versions[-1]

    def ref(self, contract: str, version: str | None = None) -> ContractRef:
        """The kept ``contract`` at ``version`` (default: the latest kept) as a :class:`ContractRef`."""
        version = version or self.latest(contract)
        return ContractRef(self.load(contract, version), contract)

    def entries(self) -> list[tuple[str, str, Path]]:
        """``(contract, version, file)`` of everything kept."""
        out = []
        for path in sorted(self.root.glob("*.json")) if self.root.is_dir() else []:
            contract, sep, version = path.stem.partition("-")
            if sep:
                out.append((contract, version, path))
        return out
