"""The catalogue of Strata's contracts: record name, registry id, contract, and whether a proxy fronts it.

The registry ids mirror ``contracts/libraries/ModuleIds.sol`` (bytes32 of the ASCII name).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModuleSpec:
    name: str  # key in deployments/<network>.json
    contract: str  # implementation contract name
    module_id: str | None  # registry id; None for contracts the registry does not name
    proxied: bool


REGISTRY = ModuleSpec("ModuleRegistry", "ModuleRegistry", None, True)
PRICE_ORACLE = ModuleSpec("PriceOracle", "PriceOracle", "PRICE_ORACLE", True)
LENDING_POOL = ModuleSpec("LendingPool", "LendingPool", "LENDING_POOL", True)
LIQUIDATION_ENGINE = ModuleSpec("LiquidationEngine", "LiquidationEngine", "LIQUIDATION_ENGINE", True)
FLASH_LOAN_MODULE = ModuleSpec("FlashLoanModule", "FlashLoanModule", "FLASH_LOAN_MODULE", True)
GOVERNANCE_TOKEN = ModuleSpec("StrataToken", "StrataToken", "GOVERNANCE_TOKEN", False)
TIMELOCK = ModuleSpec("StrataTimelock", "StrataTimelock", "TIMELOCK", False)
GOVERNOR = ModuleSpec("StrataGovernor", "StrataGovernor", "GOVERNOR", True)

MODULES: tuple[ModuleSpec, ...] = (
    REGISTRY,
    PRICE_ORACLE,
    LENDING_POOL,
    LIQUIDATION_ENGINE,
    FLASH_LOAN_MODULE,
    GOVERNANCE_TOKEN,
    TIMELOCK,
    GOVERNOR,
)


def module_id_bytes(module_id: str) -> bytes:
    """bytes32 of an ASCII id, right-padded with zeros, as Solidity's ``bytes32("LENDING_POOL")``."""
    raw = module_id.encode("ascii")
    if len(raw) > 32:
        raise ValueError(f"module id '{module_id}' is longer than 32 bytes")
    return raw.ljust(32, b"\0")


def module_id_text(raw: bytes) -> str:
    return bytes(raw).rstrip(b"\0").decode("ascii", errors="replace")


def find_module(name: str) -> ModuleSpec:
    """A module by record name, registry id or contract name (case-insensitive)."""
    wanted = name.lower()
    for spec in MODULES:
        if wanted in (spec.name.lower(), (spec.module_id or "").lower(), spec.contract.lower()):
            return spec
    known = ", ".join(spec.name for spec in MODULES)
    raise KeyError(f"unknown module '{name}' (known: {known})")
