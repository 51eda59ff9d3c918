"""Each unsafe V1 -> V2 fixture pair is refused, with the specific problem named (contract, field or function).

One test per case asserts the problem and its name; a parametrized test pins the exact set of error kinds per
case, so that a rule which starts firing on the wrong fixture (or stops firing) fails loudly.
"""

from __future__ import annotations

import pytest

from strata.upgrades.report import ERROR
from strata.upgrades.rules import erc7201_slot
from tests.upgrades.safety.cases import REFUSED


def _one(report, kind, **criteria):
    found = report.find(kind, **criteria)
    assert len(found) == 1, f"expected one {kind} {criteria}, got:\n{report}"
    return found[0]


@pytest.mark.parametrize("case", REFUSED.values(), ids=list(REFUSED))
def test_check_upgrade__unsafe_fixture__refused_with_exactly_its_error_kinds(case_reports, case):
    report = case_reports[case.name]
    assert not report.ok, report
    assert {(p.kind, p.source) for p in report.errors} == set(case.errors), report
    assert report.validators["oz"].startswith("upgrades-core"), "OpenZeppelin's validator must have run"
    for problem in report.errors:
        assert problem.contract and problem.subject and problem.detail, problem


def test_check_upgrade__reordered_storage__reports_moved_field(case_reports):
    report = case_reports["ReorderedStorage"]
    deleted = _one(report, "storage-delete", source="oz")
    inserted = _one(report, "storage-insert", source="oz")
    # Levenshtein sees `total` leave its place and come back after `treasury`.
    assert deleted.subject == inserted.subject == "ReorderedStorageMockStorage.total"
    assert deleted.namespace == inserted.namespace == "strata.storage.ReorderedStorageMock"


def test_check_upgrade__retyped_storage__reports_field_and_types(case_reports):
    problem = _one(case_reports["RetypedStorage"], "storage-typechange", source="oz")
    assert problem.subject == "RetypedStorageMockStorage.total"
    assert "uint256 to uint128" in problem.detail
    assert problem.namespace == "strata.storage.RetypedStorageMock"


def test_check_upgrade__removed_storage__reports_deleted_field(case_reports):
    problem = _one(case_reports["RemovedStorage"], "storage-delete", source="oz")
    assert problem.subject == "RemovedStorageMockStorage.treasury"
    assert problem.contract == "RemovedStorageV1Mock"  # the field exists only in the current version


def test_check_upgrade__inserted_storage__reports_inserted_field(case_reports):
    problem = _one(case_reports["InsertedStorage"], "storage-insert", source="oz")
    assert problem.subject == "InsertedStorageMockStorage.feeBps"
    assert problem.location.startswith("contracts/mocks/upgrades/InsertedStorage.sol:")


def test_check_upgrade__changed_namespace__reports_orphaned_namespace(case_reports):
    report = case_reports["ChangedNamespace"]
    ours = _one(report, "namespace-removed", source="strata")
    theirs = _one(report, "storage-delete-namespace", source="oz")
    assert ours.namespace == theirs.namespace == "strata.storage.ChangedNamespaceMock"
    assert ours.subject == "ChangedNamespaceV1Mock.ChangedNamespaceMockStorage"


def test_check_upgrade__wrong_slot_constant__reports_constant_and_expected_slot(case_reports):
    problem = _one(case_reports["WrongSlotConstant"], "erc7201-slot-mismatch")
    assert problem.subject == "WrongSlotConstantV2Mock.WRONG_SLOT_CONSTANT_MOCK_STORAGE_LOCATION"
    assert f"0x{erc7201_slot('strata.storage.WrongSlotConstantMock'):064x}" in problem.detail
    assert problem.namespace == "strata.storage.WrongSlotConstantMock"


def test_check_upgrade__constructor_writes_state__reports_written_field(case_reports):
    problem = _one(case_reports["ConstructorStateWrite"], "constructor-state-write")
    assert problem.subject == "ConstructorStateWriteV2Mock.constructor"
    assert "_getStorage().treasury" in problem.detail


def test_check_upgrade__constructor_write_under_oz_annotation__still_refused(case_reports):
    # `@custom:oz-upgrades-unsafe-allow constructor` silences OpenZeppelin; our rule reads what the code does.
    report = case_reports["ConstructorStateWrite+annotated"]
    assert not report.find("constructor", source="oz")
    problem = _one(report, "constructor-state-write")
    assert problem.subject == "ConstructorStateWriteAllowedV2Mock.constructor"


def test_check_upgrade__immutable__reports_variable(case_reports):
    problem = _one(case_reports["ImmutableVariable"], "immutable")
    assert problem.subject == "ImmutableVariableV2Mock.DEPLOYED_AT"


def test_check_upgrade__selfdestruct__reports_function(case_reports):
    problem = _one(case_reports["Selfdestruct"], "selfdestruct", source="strata")
    assert problem.subject == "SelfdestructV2Mock.shutdown()"


def test_check_upgrade__delegatecall__reports_function(case_reports):
    problem = _one(case_reports["Delegatecall"], "delegatecall", source="strata")
    assert problem.subject == "DelegatecallV2Mock.execute(address,bytes)"


def test_check_upgrade__missing_disable_initializers__reports_constructor(case_reports):
    problem = _one(case_reports["MissingDisableInitializers"], "disable-initializers-missing")
    assert problem.contract == "MissingDisableInitializersV2Mock"
    assert "_disableInitializers()" in problem.detail


def test_check_upgrade__recallable_initializer__reports_function(case_reports):
    problem = _one(case_reports["RecallableInitializer"], "initializer-unprotected")
    assert problem.subject == "RecallableInitializerV2Mock.initializeV2(address)"


def test_check_upgrade__stale_reinitializer__reports_function_and_versions(case_reports):
    problem = _one(case_reports["StaleReinitializer"], "reinitializer-stale")
    assert problem.subject == "StaleReinitializerV2Mock.initializeV3(address)"
    assert "reinitializer(2)" in problem.detail and "reinitializer(3)" in problem.detail


def test_check_upgrade__non_uups_candidate__reports_missing_upgrade_functions(case_reports):
    report = case_reports["NonUUPS"]
    problem = _one(report, "uups-missing")
    assert "upgradeToAndCall(address,bytes)" in problem.subject and "proxiableUUID()" in problem.subject
    removed = {p.subject for p in report.find("function-removed")}
    assert {"upgradeToAndCall(address,bytes)", "proxiableUUID()"} <= removed


def test_check_upgrade__removed_interface_function__reports_each_signature(case_reports):
    report = case_reports["RemovedInterfaceFunction"]
    removed = report.find("function-removed", subject="balanceOf(address)")
    changed = report.find("function-changed", subject="deposit(uint256)")
    assert removed and changed, report
    assert any("interface IRemovedInterfaceFunctionMock" in p.detail for p in removed)
    assert any("deposit(uint256,address)" in p.detail for p in changed)


def test_check_upgrade__unguarded_authorize_upgrade__reports_hook(case_reports):
    problem = _one(case_reports["UnguardedAuthorizeUpgrade"], "authorize-upgrade-unguarded")
    assert problem.subject == "UnguardedAuthorizeUpgradeV2Mock._authorizeUpgrade(address)"
    assert problem.severity == ERROR
