"""The upgrade-check fixture cases (contracts/mocks/upgrades/) and the production modules the check must pass."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FIXTURES_DIR = ROOT / "contracts" / "mocks" / "upgrades"
REGISTRY_V2_MOCK = "contracts/mocks/ModuleRegistryV2Mock.sol"


@dataclass(frozen=True)
class Case:
    """One V1 -> V2 fixture pair and the error kinds (``(kind, found by)``) its report must hold, exactly."""

    name: str
    current: str
    candidate: str
    errors: frozenset[tuple[str, str]]
    interface: str | None = None


def _case(name: str, *errors: tuple[str, str], candidate: str | None = None, interface: str | None = None) -> Case:
    base = name.split("+")[0]
    return Case(name, f"{base}V1Mock", candidate or f"{base}V2Mock", frozenset(errors), interface)


SAFE = _case("SafeUpgrade")

REFUSED = {
    c.name: c
    for c in (
        _case("ReorderedStorage", ("storage-delete", "oz"), ("storage-insert", "oz")),
        _case("RetypedStorage", ("storage-typechange", "oz")),
        _case("RemovedStorage", ("storage-delete", "oz")),
        _case("InsertedStorage", ("storage-insert", "oz")),
        _case("ChangedNamespace", ("namespace-removed", "strata"), ("storage-delete-namespace", "oz")),
        _case("WrongSlotConstant", ("erc7201-slot-mismatch", "strata")),
        _case("ConstructorStateWrite", ("constructor-state-write", "strata"), ("constructor", "oz")),
        _case(
            "ConstructorStateWrite+annotated",
            ("constructor-state-write", "strata"),
            candidate="ConstructorStateWriteAllowedV2Mock",
        ),
        _case("ImmutableVariable", ("immutable", "strata"), ("state-variable-immutable", "oz")),
        _case("Selfdestruct", ("selfdestruct", "strata"), ("selfdestruct", "oz")),
        _case("Delegatecall", ("delegatecall", "strata"), ("delegatecall", "oz")),
        _case("MissingDisableInitializers", ("disable-initializers-missing", "strata")),
        _case("RecallableInitializer", ("initializer-unprotected", "strata")),
        _case("StaleReinitializer", ("reinitializer-stale", "strata")),
        _case(
            "NonUUPS",
            ("uups-missing", "strata"),
            ("missing-public-upgradeto", "oz"),
            ("function-removed", "strata"),  # upgradeToAndCall, proxiableUUID, UPGRADE_INTERFACE_VERSION
        ),
        _case(
            "RemovedInterfaceFunction",
            ("function-removed", "strata"),
            ("function-changed", "strata"),
            interface="IRemovedInterfaceFunctionMock",
        ),
        _case("UnguardedAuthorizeUpgrade", ("authorize-upgrade-unguarded", "strata")),
    )
}

ALL_CASES = {SAFE.name: SAFE, **REFUSED}


def fixture_sources() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in FIXTURES_DIR.glob("*.sol"))


def production_sources() -> list[str]:
    """Every deployable source under contracts/ (mocks and dependency caches excluded)."""
    out = []
    for path in sorted((ROOT / "contracts").rglob("*.sol")):
        rel = path.relative_to(ROOT)
        if any(part.startswith(".") for part in rel.parts) or "mocks" in rel.parts:
            continue
        out.append(rel.as_posix())
    return out


_DECLARATION = re.compile(r"^\s*(abstract\s+)?contract\s+(\w+)\s+is\s+([^{]+)\{", re.M)


def upgradeable_modules() -> list[str]:
    """Concrete production contracts that inherit, directly or through their own bases, ``StrataModule`` or
    ``UUPSUpgradeable`` (found without compiling, so that tests can be parametrized by module; a test
    cross-checks this list against the compiled AST)."""
    bases_of: dict[str, set[str]] = {}
    concrete: set[str] = set()
    for rel in production_sources():
        for abstract, name, bases in _DECLARATION.findall((ROOT / rel).read_text()):
            bases_of[name] = set(re.findall(r"\b(\w+)\b(?:\s*\([^)]*\))?\s*(?:,|$)", bases.strip()))
            if not abstract:
                concrete.add(name)

    def upgradeable(name: str, seen: frozenset[str] = frozenset()) -> bool:
        direct = bases_of.get(name, set())
        if direct & {"StrataModule", "UUPSUpgradeable"}:
            return True
        return any(upgradeable(base, seen | {name}) for base in direct - seen)

    return sorted(name for name in concrete if upgradeable(name))
