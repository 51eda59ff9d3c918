"""Contracts the benchmark deploys that are not Strata's: read from npm packages, never copied into the repo.

- Aave V3: the compiled Hardhat artifacts shipped in ``@aave/core-v3`` (libraries linked here).
- Morpho Blue: compiled from the ``@morpho-org/morpho-blue`` sources with the compiler and settings the Morpho
  repository pins (solc 0.8.19, via-IR, 999,999 optimizer runs, EVM paris, no metadata hash), through the npm
  ``solc`` of that version (``bench/solc.js``). The bench's own mocks and flash receivers in
  ``bench/contracts/`` compile in the same run.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Mapping

from strata.bench.errors import BenchSetupError

MORPHO_PACKAGE = "@morpho-org/morpho-blue"
AAVE_PACKAGE = "@aave/core-v3"
MORPHO_SOURCE = f"{MORPHO_PACKAGE}/src/Morpho.sol"
BENCH_SOLC_VERSION = "0.8.19"

# morpho-blue's foundry.toml ([profile.default]), the profile its deployed bytecode was built with.
MORPHO_COMPILER_SETTINGS: dict[str, Any] = {
    "viaIR": True,
    "optimizer": {"enabled": True, "runs": 999_999},
    "evmVersion": "paris",
    "metadata": {"bytecodeHash": "none"},
    "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}},
}


@dataclass(frozen=True)
class Artifact:
    """ABI and creation bytecode of one contract, libraries still unlinked (Hardhat's linkReferences shape)."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: str  # hex, no 0x
    link_references: Mapping[str, Mapping[str, list[dict[str, int]]]]

    @property
    def libraries(self) -> list[str]:
        return sorted({lib for refs in self.link_references.values() for lib in refs})

    def linked(self, addresses: Mapping[str, str]) -> str:
        """The creation bytecode with every library placeholder replaced by its address (0x-prefixed hex)."""
        code = self.bytecode
        for refs in self.link_references.values():
            for lib, spots in refs.items():
                if lib not in addresses:
                    raise BenchSetupError(f"{self.name} needs library {lib}, which is not deployed")
                address = addresses[lib].lower().removeprefix("0x")
                for spot in spots:
                    start, length = 2 * spot["start"], 2 * spot["length"]
                    code = code[:start] + address + code[start + length :]
        if "__" in code:
            raise BenchSetupError(f"{self.name}: library placeholder left after linking")
        return "0x" + code


def link_order(artifacts: Mapping[str, Artifact], roots: Iterable[str]) -> list[str]:
    """Libraries the ``roots`` need (transitively), each after the libraries it links itself."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise BenchSetupError(f"library link cycle through {name}")
        visiting.add(name)
        for lib in artifacts[name].libraries:
            visit(lib)
        visiting.discard(name)
        order.append(name)

    for root in roots:
        for lib in artifacts[root].libraries:
            visit(lib)
    return order


def contract_type(artifact: Artifact, bytecode: str | None = None) -> Any:
    """An ape ``ContractContainer`` for ``artifact`` (pass the linked ``bytecode`` when it has libraries)."""
    from ape.contracts import ContractContainer
    from ethpm_types import ContractType

    code = bytecode if bytecode is not None else "0x" + artifact.bytecode
    if artifact.link_references and bytecode is None:
        raise BenchSetupError(f"{artifact.name} has libraries to link first")
    ct = ContractType.model_validate(
        {"contractName": artifact.name, "abi": artifact.abi, "deploymentBytecode": {"bytecode": code}}
    )
    return ContractContainer(ct)


class BenchPackages:
    """The bench's npm tree (``bench/node_modules``) and its compile cache (``bench/.build``)."""

    def __init__(self, bench_dir: Path) -> None:
        self.bench_dir = Path(bench_dir)
        self.node_modules = self.bench_dir / "node_modules"
        self.cache_dir = self.bench_dir / ".build"

    def check_installed(self) -> None:
        for package in (AAVE_PACKAGE, MORPHO_PACKAGE, f"solc-{BENCH_SOLC_VERSION}"):
            if not (self.node_modules / package / "package.json").exists():
                raise BenchSetupError(
                    f"{self.node_modules / package} is missing: run `npm ci --prefix {self.bench_dir}`"
                )

    def package_version(self, package: str) -> str:
        return json.loads((self.node_modules / package / "package.json").read_text())["version"]

    # -- Aave: Hardhat artifacts -----------------------------------------------------------------------------

    @cached_property
    def _aave_index(self) -> dict[str, list[Path]]:
        index: dict[str, list[Path]] = {}
        root = self.node_modules / AAVE_PACKAGE / "artifacts" / "contracts"
        for path in root.rglob("*.json"):
            if path.name.endswith(".dbg.json"):
                continue
            index.setdefault(path.stem, []).append(path)
        return index

    def aave(self, name: str) -> Artifact:
        paths = self._aave_index.get(name, [])
        if len(paths) != 1:
            found = "not found" if not paths else f"ambiguous: {[str(p) for p in paths]}"
            raise BenchSetupError(f"Aave artifact {name}: {found}")
        raw = json.loads(paths[0].read_text())
        return Artifact(
            name=raw["contractName"],
            abi=raw["abi"],
            bytecode=raw["bytecode"].removeprefix("0x"),
            link_references=raw.get("linkReferences") or {},
        )

    # -- Morpho and the bench contracts: compiled with solc 0.8.19 ------------------------------------------

    def solc_input(self) -> dict[str, Any]:
        sources = {MORPHO_SOURCE: {"content": (self.node_modules / MORPHO_SOURCE).read_text()}}
        for path in sorted((self.bench_dir / "contracts").glob("*.sol")):
            sources[f"contracts/{path.name}"] = {"content": path.read_text()}
        return {"language": "Solidity", "sources": sources, "settings": MORPHO_COMPILER_SETTINGS}

    def compiled(self) -> dict[str, Artifact]:
        """Morpho and ``bench/contracts/*.sol``, compiled once per content (cached in ``bench/.build``)."""
        solc_input = self.solc_input()
        key = hashlib.sha256(
            json.dumps(solc_input, sort_keys=True).encode() + self._morpho_tree_digest().encode()
        ).hexdigest()[:16]
        cache = self.cache_dir / f"solc-{BENCH_SOLC_VERSION}-{key}.json"
        if cache.exists():
            output = json.loads(cache.read_text())
        else:
            output = self._run_solc(solc_input)
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            _atomic_write(cache, json.dumps(output))
        return parse_solc_output(output)

    def _morpho_tree_digest(self) -> str:
        # Imported files are not in the input (solc.js resolves them), so they enter the cache key here.
        digest = hashlib.sha256()
        for path in sorted((self.node_modules / MORPHO_PACKAGE / "src").rglob("*.sol")):
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def _run_solc(self, solc_input: dict[str, Any]) -> dict[str, Any]:
        script = self.bench_dir / "solc.js"
        try:
            proc = subprocess.run(
                ["node", str(script)],
                input=json.dumps(solc_input),
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError as err:
            raise BenchSetupError("node is not on PATH (needed to run the npm solc for Morpho Blue)") from err
        if proc.returncode != 0:
            raise BenchSetupError(f"bench/solc.js failed: {proc.stderr.strip()[:500]}")
        output = json.loads(proc.stdout)
        errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
        if errors:
            raise BenchSetupError("solc 0.8.19: " + "; ".join(e.get("formattedMessage", e["message"]) for e in errors))
        return output


def parse_solc_output(output: Mapping[str, Any]) -> dict[str, Artifact]:
    artifacts: dict[str, Artifact] = {}
    for source, contracts in output.get("contracts", {}).items():
        for name, data in contracts.items():
            code = data.get("evm", {}).get("bytecode", {}).get("object", "")
            if not code:  # interfaces and abstract contracts
                continue
            if name in artifacts:
                raise BenchSetupError(f"two compiled contracts named {name} (second in {source})")
            artifacts[name] = Artifact(name=name, abi=data["abi"], bytecode=code, link_references={})
    return artifacts


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)
