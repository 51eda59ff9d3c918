"""Kept references: the build-info of every deployed implementation, and which one an upgrade is checked against.

The build-info of each deployed version lives in the repository, ``build-info/<Contract>-<version>.json``
(:class:`~strata.upgrades.buildinfo.BuildInfoStore`). The next upgrade of a recorded module is checked against the
file of the version the deployment record says is running (``ContractEntry.contract`` / ``.version``, the last
entry of its implementation history), never against a fresh compile of today's source: a V1 source edited in
place must still be compared with what is actually deployed.

    python -m strata.upgrades record-all              # keep every deployable contract's current version (new ones only)
    python -m strata.upgrades record-all --check      # exit 1 when a kept file is missing or no longer matches its source
    python -m strata.upgrades record-all --replace    # rewrite stale files (refused for versions a committed record names)

``make build-info`` runs the last one.
"""

from __future__ import annotations

import ast as pyast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from strata.upgrades.buildinfo import PROJECT_ROOT, BuildInfo, BuildInfoStore, ContractRef, compile_build_info
from strata.upgrades.errors import BuildInfoError, ReferenceMissing

MIGRATIONS_DIR = PROJECT_ROOT / "scripts" / "upgrades"
DEPLOYMENTS_DIR = PROJECT_ROOT / "deployments"


def display_path(path: Path) -> str:
    """``build-info/X-1.0.0.json`` for files in the project, the absolute path otherwise."""
    try:
        return Path(path).resolve().relative_to(PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def record_hint(contract: str, version: str) -> str:
    return f"python -m strata.upgrades record {contract} {version}"


def deployed_reference(store: BuildInfoStore, contract: str, version: str) -> ContractRef:
    """The kept build-info of ``contract`` at the deployed ``version``; :class:`ReferenceMissing` names the file
    that should exist and the command that creates it."""
    path = store.path_for(contract, version)
    if not path.is_file():
        raise ReferenceMissing(
            f"no kept build-info for the deployed {contract} {version}: {display_path(path)} is missing. Keep it from "
            f"the source that was deployed with `{record_hint(contract, version)}` (every module: `make build-info`) "
            f"and commit it; --reference-from-source compares with the working tree instead"
        )
    return ContractRef(BuildInfo.load(path), contract)


def kept_file(contract: str, version: str, store: BuildInfoStore | None = None) -> str | None:
    """What a deployment record writes in ``ImplementationEntry.build_info``: the kept file, if there is one."""
    store = store or BuildInfoStore()
    try:
        path = store.path_for(contract, version)
    except BuildInfoError:
        return None
    return display_path(path) if path.is_file() else None


# ------------------------------------------------------------------------------------ what is kept, record-all


def migration_targets(folder: Path = MIGRATIONS_DIR) -> list[str]:
    """Contracts the shipped upgrades install (``UpgradeSpec(contract="...")`` in ``scripts/upgrades/*.py``), read
    without importing the scripts."""
    found: list[str] = []
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        for node in pyast.walk(pyast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, pyast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "UpgradeSpec":
                for kw in node.keywords:
                    if kw.arg == "contract" and isinstance(kw.value, pyast.Constant) and isinstance(kw.value.value, str):
                        found.append(kw.value.value)
    return found


def kept_contracts() -> list[str]:
    """Every contract whose deployed versions are kept: the deploy plan's proxied modules, then the shipped
    upgrades' targets (their rollback is checked against them)."""
    from strata.modules import MODULES

    names = [m.contract for m in MODULES if m.proxied] + migration_targets()
    return list(dict.fromkeys(names))


def committed_versions(folder: Path = DEPLOYMENTS_DIR) -> set[tuple[str, str]]:
    """``(contract, version)`` of every implementation a committed (non-devchain) deployment record names: those
    kept files describe live code and may never be rewritten."""
    out: set[tuple[str, str]] = set()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        if path.name.startswith("local"):
            continue  # devchain records are not committed (.gitignore)
        try:
            data = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        for entry in (data.get("contracts") or {}).values():
            for impl in entry.get("history") or []:
                out.add((str(impl.get("contract")), str(impl.get("version"))))
    return out


@dataclass(frozen=True)
class KeptStatus:
    contract: str
    version: str
    path: Path
    status: str  # kept (new) | unchanged | replaced | stale | missing
    sources: int

    @property
    def ok(self) -> bool:
        return self.status in ("kept", "unchanged", "replaced")


def record_all(
    store: BuildInfoStore | None = None,
    contracts: Iterable[str] | None = None,
    *,
    replace: bool = False,
    check: bool = False,
    log: Callable[[str], None] = lambda message: None,
    deployments: Path = DEPLOYMENTS_DIR,
) -> list[KeptStatus]:
    """Compiles each contract from its source (and its imports only) and keeps it under the version it declares.

    ``check``: write nothing, report ``missing`` / ``stale`` (kept file compiled from other code) / ``unchanged``.
    ``replace``: rewrite stale files, except versions named by a committed deployment record (refused).
    Without either, a stale file is an error (a kept version is immutable).
    """
    from strata.upgrades.pipeline import contract_version, source_of

    store = store or BuildInfoStore()
    frozen = committed_versions(deployments) if replace else set()
    results: list[KeptStatus] = []
    for contract in contracts or kept_contracts():
        log(f"compile {contract}")
        fresh = compile_build_info([source_of(contract)])
        version = contract_version(fresh, contract)
        if version is None:
            raise BuildInfoError(f"{contract} declares no VERSION / version() literal: cannot name its kept build-info")
        path = store.path_for(contract, version)
        n = len(fresh.input["sources"])
        if not path.is_file():
            status = "missing" if check else "kept"
        elif _same(BuildInfo.load(path), fresh):
            status = "unchanged"
        elif check:
            status = "stale"
        elif not replace:
            raise BuildInfoError(
                f"{display_path(path)} holds {contract} {version} compiled from other code: a deployed version is "
                f"immutable, bump {contract}'s VERSION (or --replace if {version} was never deployed on a real network)"
            )
        elif (contract, version) in frozen:
            raise BuildInfoError(
                f"{display_path(path)}: {contract} {version} is named by a committed deployment record; it describes "
                f"live code and cannot be replaced: bump {contract}'s VERSION"
            )
        else:
            status = "replaced"
        if status in ("kept", "replaced"):
            store.save(contract, version, fresh, replace=True)
        results.append(KeptStatus(contract, version, path, status, n))
    return results


def _same(kept: BuildInfo, fresh: BuildInfo) -> bool:
    # The id hashes the whole solc input (sources and settings): equal ids, same code.
    return kept.id == fresh.id


__all__ = [
    "KeptStatus",
    "ReferenceMissing",
    "committed_versions",
    "deployed_reference",
    "display_path",
    "kept_contracts",
    "kept_file",
    "migration_targets",
    "record_all",
]
