"""Session fixtures of the upgrade-safety tests: one solc call and one OpenZeppelin run for the whole folder.

Everything here is pure Python over build-info (no chain): the fixture pairs of contracts/mocks/upgrades/ and the
production modules are compiled together, once per session (and once per source change: the compile is cached
by input hash in .build/upgrades), and every pair is checked in a single batch.
"""

from __future__ import annotations

import pytest

from strata.upgrades import BuildInfo, ContractRef, SafetyReport, UpgradePair, check_upgrades, compile_build_info
from tests.upgrades.safety.cases import (
    ALL_CASES,
    REGISTRY_V2_MOCK,
    ROOT,
    fixture_sources,
    production_sources,
    upgradeable_modules,
)


@pytest.fixture(scope="module", autouse=True)
def strata():
    """Overrides tests/conftest.py's autouse protocol deployment for this folder only: these tests read
    build-info and need no chain (nor a protocol that deploys; other folders keep the real fixture)."""
    return None


@pytest.fixture(scope="module")
def upgrade_build_info() -> BuildInfo:
    sources = fixture_sources() + production_sources()
    if (ROOT / REGISTRY_V2_MOCK).is_file():
        sources.append(REGISTRY_V2_MOCK)
    return compile_build_info(sources)


@pytest.fixture(scope="module")
def ref(upgrade_build_info):
    """``ref("ModuleRegistry")``: a contract of the session build-info."""

    def make(name: str) -> ContractRef:
        return ContractRef(upgrade_build_info, name)

    return make


@pytest.fixture(scope="module")
def case_reports(ref) -> dict[str, SafetyReport]:
    """The report of every fixture case (safe and refused), keyed by case name."""
    pairs = [
        UpgradePair(ref(c.current), ref(c.candidate), (ref(c.interface),) if c.interface else ())
        for c in ALL_CASES.values()
    ]
    return dict(zip(ALL_CASES, check_upgrades(pairs)))


@pytest.fixture(scope="module")
def module_reports(ref) -> dict[str, SafetyReport]:
    """Every production module checked against itself (what an upgrade to unchanged code must give)."""
    names = upgradeable_modules()
    return dict(zip(names, check_upgrades([UpgradePair(ref(n), ref(n)) for n in names])))
