"""Every `@custom:storage-location erc7201:<ns>` under contracts/ must sit right above a struct followed by
the `bytes32 private constant <X>_STORAGE_LOCATION` that the ERC-7201 formula gives for <ns>. A wrong constant
compiles, deploys and passes OpenZeppelin's validator: only this test catches it."""

import re
from pathlib import Path

import pytest
from eth_utils import keccak

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"

ANNOTATION = re.compile(r"@custom:storage-location\s+erc7201:([A-Za-z0-9_.\-]+)")
STRUCT = re.compile(r"\s*struct\s+(\w+)\s*\{")
CONSTANT = re.compile(r"bytes32\s+private\s+constant\s+(\w+_STORAGE_LOCATION)\s*=\s*(0x[0-9a-fA-F]*)\s*;")


def erc7201(namespace: str) -> int:
    inner = int.from_bytes(keccak(text=namespace), "big") - 1
    return int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF


def _declarations():
    found = []
    for path in sorted(CONTRACTS.rglob("*.sol")):
        rel = path.relative_to(ROOT)
        if any(part.startswith(".") for part in rel.parts):  # contracts/.cache holds dependencies
            continue
        if rel.parts[:3] == ("contracts", "mocks", "upgrades"):
            # Upgrade-safety fixtures: V1/V2 pairs share a namespace and one has a wrong slot on purpose.
            continue
        text = path.read_text()
        for match in ANNOTATION.finditer(text):
            rest = text[match.end():]
            struct = STRUCT.match(rest.split("\n", 1)[1])
            constant = CONSTANT.search(rest)
            found.append(
                (
                    f"{rel}:{match.group(1)}",
                    match.group(1),
                    struct.group(1) if struct else None,
                    constant.group(1) if constant else None,
                    constant.group(2) if constant else None,
                )
            )
    return found


DECLARATIONS = _declarations()


def test_erc7201__formula__reproduces_openzeppelin_constant():
    # Published in OpenZeppelin 5's Initializable.sol for "openzeppelin.storage.Initializable".
    assert erc7201("openzeppelin.storage.Initializable") == int(
        "f0c57e16840df040f15088dc2f81fe391c3923bec73e23a9662efc9c229c6a00", 16
    )


def test_erc7201__scan__finds_known_modules():
    namespaces = {d[1] for d in DECLARATIONS}
    assert {"strata.storage.StrataModule", "strata.storage.ModuleRegistry"} <= namespaces


def test_erc7201__namespaces__unique_per_module():
    # A V2 re-declares its V1's namespace (same storage, appended fields); two modules must never share one.
    folders: dict[str, set[str]] = {}
    for where, namespace, *_ in DECLARATIONS:
        folders.setdefault(namespace, set()).add(where.rsplit("/", 1)[0])
    shared = {ns: sorted(dirs) for ns, dirs in folders.items() if len(dirs) > 1}
    assert shared == {}


@pytest.mark.parametrize("decl", DECLARATIONS, ids=[d[0] for d in DECLARATIONS])
def test_erc7201__declared_constant__matches_formula(decl):
    where, namespace, struct, name, value = decl
    assert struct is not None, f"{where}: the annotation must sit right above a struct"
    assert name is not None, f"{where}: no `bytes32 private constant ..._STORAGE_LOCATION` follows"
    assert len(value) == 66, f"{where}: {name} must have 64 hex digits, has {len(value) - 2}"
    assert int(value, 16) == erc7201(namespace), (
        f"{where}: {name} = {value}, formula gives 0x{erc7201(namespace):064x}"
    )


@pytest.mark.parametrize("decl", DECLARATIONS, ids=[d[0] for d in DECLARATIONS])
def test_erc7201__namespace__follows_project_convention(decl):
    where, namespace, struct, _, _ = decl
    module = namespace.removeprefix("strata.storage.")
    assert namespace.startswith("strata.storage."), where
    assert struct == f"{module}Storage", f"{where}: struct {struct} should be {module}Storage"
