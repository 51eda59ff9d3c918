"""What must pass: the safe fixture pair, every production module against itself, and the registry's V2 mock."""

from __future__ import annotations

import pytest

from strata.upgrades import check_upgrade
from strata.upgrades.ast import Ast
from tests.upgrades.safety.cases import REGISTRY_V2_MOCK, ROOT, production_sources, upgradeable_modules

MODULES = upgradeable_modules()


def test_check_upgrade__appended_field_and_reinitializer__safe(case_reports):
    report = case_reports["SafeUpgrade"]
    assert report.ok, report
    assert report.problems == [] and report.waived == []
    assert report.validators["strata"] == "ran" and report.validators["oz"].startswith("upgrades-core")


def test_module_discovery__known_modules__found():
    assert {"ModuleRegistry", "PriceOracle"} <= set(MODULES)


def test_module_discovery__compiled_ast__no_upgradeable_contract_missed(upgrade_build_info):
    # The regex list parametrizes the tests below; the compiled AST is the truth it must match.
    ast = Ast(upgrade_build_info)
    production = set(production_sources())
    uups = set()
    for source, name in upgrade_build_info.contracts():
        if source not in production:
            continue
        node = ast.contract(f"{source}:{name}")
        if node.get("contractKind") == "contract" and not node.get("abstract"):
            if any(base["name"] == "UUPSUpgradeable" for base in ast.linearized(node)):
                uups.add(name)
    assert uups == set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_check_upgrade__production_module_against_itself__safe(module_reports, module):
    report = module_reports[module]
    assert report.ok, report
    assert report.errors == []
    assert report.validators["oz"].startswith("upgrades-core")


@pytest.mark.skipif(not (ROOT / REGISTRY_V2_MOCK).is_file(), reason="ModuleRegistryV2Mock left main")
def test_check_upgrade__registry_to_v2_mock__safe(ref):
    report = check_upgrade(ref("ModuleRegistry"), ref("ModuleRegistryV2Mock"))
    assert report.ok, report
    assert report.problems == []
