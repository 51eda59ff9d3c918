"""The catalogue of Strata's modules: record name, registry id, contract, and whether a proxy fronts it.

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

MODULES: tuple[ModuleSpec, ...] = (REGISTRY,)


def module_id_bytes(module_id: str) -> bytes:
    """bytes32 of an ASCII id, right-padded with zeros, as Solidity's ``bytes32("LENDING_POOL")``."""
    raw = module_id.encode("ascii")
    if len(raw) > 32:
        raise ValueError(f"module id '{module_id}' is longer than 32 bytes")
    return raw.ljust(32, b"\0")


def module_id_text(raw: bytes) -> str:
    return bytes(raw).rstrip(b"\0").decode("ascii", errors="replace")


def find_module(name: str) -> ModuleSpec:
    for spec in MODULES:
        if name in (spec.name, spec.module_id):
            return spec
    known = ", ".join(spec.name for spec in MODULES)
    raise KeyError(f"unknown module '{name}' (known: {known})")
