"""OpenZeppelin's validator and Strata's rules agree wherever both look at the same flaw.

``OZ_EQUIVALENTS`` maps each OZ kind to the Strata rule for the same flaw. On every case where both run without
an annotation in the way, each one reports the flaw iff the other does, naming the same function or variable.
Storage layout is OpenZeppelin's alone: without it the report says the layout was not compared.
"""

from __future__ import annotations

import pytest

from strata.upgrades import UpgradePair, check_upgrades
from strata.upgrades.report import OZ, OZ_EQUIVALENTS, STRATA
from tests.upgrades.safety.cases import ALL_CASES

# ConstructorStateWrite+annotated is left out on purpose: OZ trusts `unsafe-allow constructor` there.
BOTH_COVER = [name for name in ALL_CASES if name != "ConstructorStateWrite+annotated"]
SHARED_KINDS = set(OZ_EQUIVALENTS.values())


def _as_strata_kinds(report) -> set[str]:
    return {OZ_EQUIVALENTS[p.kind] for p in report.problems if p.source == OZ and p.kind in OZ_EQUIVALENTS}


@pytest.mark.parametrize("name", BOTH_COVER)
def test_oz_and_strata__flaw_both_cover__reported_by_both_or_neither(case_reports, name):
    report = case_reports[name]
    ours = {p.kind for p in report.problems if p.source == STRATA} & SHARED_KINDS
    assert _as_strata_kinds(report) == ours, report


def test_oz_and_strata__production_modules__both_silent(module_reports):
    for module, report in module_reports.items():
        assert _as_strata_kinds(report) == set(), (module, report)
        assert {p.kind for p in report.problems if p.source == STRATA} & SHARED_KINDS == set(), (module, report)


@pytest.mark.parametrize(("name", "kind"), [("Selfdestruct", "selfdestruct"), ("Delegatecall", "delegatecall")])
def test_oz_and_strata__opcode_flaw__same_function_named(case_reports, name, kind):
    report = case_reports[name]
    assert {p.subject for p in report.find(kind, source=OZ)} == {p.subject for p in report.find(kind, source=STRATA)}


def test_oz_and_strata__immutable__same_variable_named(case_reports):
    report = case_reports["ImmutableVariable"]
    (theirs,) = report.find("state-variable-immutable", source=OZ)
    (ours,) = report.find("immutable", source=STRATA)
    assert ours.subject.endswith(f".{theirs.subject}")


def test_storage_layout__strata_rules_alone__not_compared_and_said_so(ref):
    # Strata relies on OpenZeppelin for field-level layout (namespaced structs included): without it a retyped
    # field goes unnoticed, and the report must say that the layout was not compared.
    case = ALL_CASES["RetypedStorage"]
    (report,) = check_upgrades([UpgradePair(ref(case.current), ref(case.candidate))], oz=False)
    assert report.ok
    assert report.validators["oz"] == "skipped"
    assert any("storage layout was not compared" in note for note in report.notes)


def test_storage_layout__with_oz__finding_carried_into_report_with_field(case_reports):
    report = case_reports["RetypedStorage"]
    (problem,) = report.find("storage-typechange")
    assert problem.source == OZ and problem.subject.endswith(".total") and not report.ok
