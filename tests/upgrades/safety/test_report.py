"""SafetyReport: waivers are explicit and recorded, interfaces are enforced on their own, and the report renders."""

from __future__ import annotations

import json

from rich.console import Console

from strata.upgrades import check_upgrade
from strata.upgrades.report import STRATA_KINDS, WARNING


def test_check_upgrade__allowed_kind__waived_and_recorded_not_dropped(ref):
    report = check_upgrade(
        ref("RecallableInitializerV1Mock"), ref("RecallableInitializerV2Mock"),
        allow=["initializer-unprotected"], oz=False,
    )
    assert report.ok
    assert [p.kind for p in report.waived] == ["initializer-unprotected"]
    assert "initializer-unprotected" in report.table().caption


def test_check_upgrade__allow_with_subject__waives_only_that_subject(ref):
    report = check_upgrade(
        ref("RemovedInterfaceFunctionV1Mock"), ref("RemovedInterfaceFunctionV2Mock"),
        allow=["function-removed:balanceOf"], oz=False,
    )
    assert [p.subject for p in report.waived] == ["balanceOf(address)"]
    assert not report.ok and report.find("function-changed", subject="deposit(uint256)")


def test_check_upgrade__interface_only__candidate_must_keep_interface_functions(ref):
    # Current == candidate, so only the interface can catch it: an implementation that never had the functions.
    report = check_upgrade(
        ref("RemovedInterfaceFunctionV2Mock"), ref("RemovedInterfaceFunctionV2Mock"),
        interface=ref("IRemovedInterfaceFunctionMock"), oz=False,
    )
    assert {(p.kind, p.subject) for p in report.errors} == {
        ("function-removed", "balanceOf(address)"),
        ("function-changed", "deposit(uint256)"),
    }
    assert all("interface IRemovedInterfaceFunctionMock" in p.detail for p in report.errors)


def test_safety_report__table__names_kind_contract_and_subject(case_reports):
    report = case_reports["StaleReinitializer"]
    console = Console(record=True, width=200)
    report.render(console)
    text = console.export_text()
    assert "UNSAFE" in text and "reinitializer-stale" in text
    assert "StaleReinitializerV2Mock.initializeV3" in text
    assert "OZ" in text or "Strata" in text


def test_safety_report__safe__table_says_so(case_reports):
    console = Console(record=True, width=200)
    case_reports["SafeUpgrade"].render(console)
    text = console.export_text()
    assert "SAFE" in text and "UNSAFE" not in text and "no problem found" in text


def test_safety_report__to_dict__json_with_verdict_and_problems(case_reports):
    data = json.loads(json.dumps(case_reports["Delegatecall"].to_dict()))
    assert data["ok"] is False
    assert {p["source"] for p in data["problems"] if p["kind"] == "delegatecall"} == {"strata", "oz"}


def test_safety_report__oz_missing_initializer_on_inheriting_v2__only_a_warning(case_reports):
    # V2 inherits V1's `initialize ... initializer`; OZ wants one declared in V2 itself (not a safety problem).
    (problem,) = case_reports["Selfdestruct"].find("missing-initializer")
    assert problem.severity == WARNING and "inherits SelfdestructV1Mock.initialize(address)" in problem.detail


def test_strata_kinds__every_reported_kind__documented(case_reports, module_reports):
    reported = {p.kind for r in [*case_reports.values(), *module_reports.values()] for p in r.problems if p.source == "strata"}
    assert reported <= set(STRATA_KINDS)
    doc = (__import__("pathlib").Path(__file__).resolve().parents[3] / "docs" / "upgrade-safety.md").read_text()
    for kind in STRATA_KINDS:
        assert f"`{kind}`" in doc, f"docs/upgrade-safety.md does not describe {kind}"
