"""tools/upgrades/validate.js: exit 0 safe, 1 unsafe, 2 tool error, and JSON that says which — in both modes."""

from __future__ import annotations

import json
import subprocess

import pytest

from strata.upgrades import BuildInfo, ContractRef, ValidatorError, check_upgrade
from strata.upgrades.oz import EXIT_SAFE, EXIT_TOOL_ERROR, EXIT_UNSAFE, WRAPPER, node_binary, run_batch, run_single


WRAPPER_CASES = ["SafeUpgrade", "RetypedStorage", "ChangedNamespace", "Delegatecall", "NonUUPS", "Selfdestruct"]


@pytest.fixture(scope="module")
def build_info_path(upgrade_build_info, tmp_path_factory):
    # validateUpgradeSafety validates every contract in the file: a subset keeps single-mode runs short.
    names = [f"{case}V{v}Mock" for case in WRAPPER_CASES for v in (1, 2)]
    return upgrade_build_info.subset(names).save(tmp_path_factory.mktemp("oz") / "wrapper-cases.json")


def _kinds(result):
    return sorted((e["kind"], e.get("field") or e.get("name") or "") for e in result["errors"])


def test_validate_js__safe_pair__exit_0(build_info_path):
    code, result = run_single(build_info_path, "SafeUpgradeV2Mock", "SafeUpgradeV1Mock")
    assert code == EXIT_SAFE and result["ok"] is True and result["errors"] == []
    assert result["contract"].endswith(":SafeUpgradeV2Mock") and result["reference"].endswith(":SafeUpgradeV1Mock")


def test_validate_js__unsafe_pair__exit_1_with_findings(build_info_path):
    code, result = run_single(build_info_path, "RetypedStorageV2Mock", "RetypedStorageV1Mock")
    assert code == EXIT_UNSAFE and result["ok"] is False and not result.get("toolError")
    assert ("storage-typechange", "total") in _kinds(result)


def test_validate_js__malformed_build_info_dir__exit_2_tool_error(tmp_path):
    (tmp_path / "broken.json").write_text('{"_format": "hh-sol-build-info-1", "input": {}}')
    code, result = run_single(tmp_path, "Anything")
    assert code == EXIT_TOOL_ERROR
    assert result["toolError"] is True and result["ok"] is False
    assert [e["kind"] for e in result["errors"]] == ["tool-error"]
    assert "broken.json" in result["errors"][0]["detail"]


def test_validate_js__not_json__exit_2_tool_error(tmp_path):
    (tmp_path / "garbage.json").write_text("{not json")
    code, result = run_single(tmp_path, "Anything")
    assert code == EXIT_TOOL_ERROR and result["toolError"] is True


@pytest.mark.parametrize(
    ("contract", "reference"),
    [("NoSuchContractMock", None), ("SafeUpgradeV2Mock", "NoSuchContractMock"), ("StrataModule", None)],
    ids=["unknown-contract", "unknown-reference", "abstract-contract"],
)
def test_validate_js__bad_contract_name__exit_2_not_unsafe(build_info_path, contract, reference):
    code, result = run_single(build_info_path, contract, reference)
    assert code == EXIT_TOOL_ERROR and result["toolError"] is True


def test_validate_js__missing_path_and_usage_errors__exit_2(tmp_path):
    code, result = run_single(tmp_path / "nowhere", "X")
    assert code == EXIT_TOOL_ERROR and result["toolError"] is True
    proc = subprocess.run([node_binary(), str(WRAPPER)], capture_output=True, text=True, check=False)
    assert proc.returncode == EXIT_TOOL_ERROR
    assert json.loads(proc.stdout)["errors"][0]["kind"] == "tool-error"


def test_validate_js__batch_with_one_tool_error__exit_2_and_other_results_kept(build_info_path, tmp_path):
    code, payload = run_batch(
        [
            {"id": "safe", "buildInfo": str(build_info_path), "contract": "SafeUpgradeV2Mock", "reference": "SafeUpgradeV1Mock"},
            {"id": "unsafe", "buildInfo": str(build_info_path), "contract": "SelfdestructV2Mock", "reference": "SelfdestructV1Mock"},
            {"id": "broken", "buildInfo": str(tmp_path / "missing.json"), "contract": "X"},
        ]
    )
    assert code == EXIT_TOOL_ERROR
    by_id = {r["id"]: r for r in payload["results"]}
    assert by_id["safe"]["ok"] is True
    assert by_id["unsafe"]["ok"] is False and not by_id["unsafe"].get("toolError")
    assert by_id["broken"]["toolError"] is True


def test_validate_js__batch_all_safe__exit_0(build_info_path):
    code, payload = run_batch(
        [{"id": 0, "buildInfo": str(build_info_path), "contract": "SafeUpgradeV2Mock", "reference": "SafeUpgradeV1Mock"}]
    )
    assert code == EXIT_SAFE and payload["ok"] is True


@pytest.mark.parametrize("case", ["RetypedStorage", "ChangedNamespace", "Delegatecall", "NonUUPS"])
def test_validate_js__batch_and_validate_upgrade_safety__same_findings(build_info_path, case):
    # The batch path recombines upgrades-core's lower-level API; it must say what validateUpgradeSafety says.
    _, single = run_single(build_info_path, f"{case}V2Mock", f"{case}V1Mock")
    _, payload = run_batch(
        [{"id": 0, "buildInfo": str(build_info_path), "contract": f"{case}V2Mock", "reference": f"{case}V1Mock"}]
    )
    (batched,) = payload["results"]
    assert _kinds(batched) == _kinds(single)
    assert batched["ok"] == single["ok"]


def test_validate_js__reference_in_other_build_info__compared(upgrade_build_info, build_info_path, tmp_path):
    # A kept reference lives in its own file (build-info/<Contract>-<version>.json): pass it separately.
    kept_path = upgrade_build_info.subset(["RetypedStorageV1Mock"]).save(tmp_path / "RetypedStorageV1Mock-1.0.0.json")
    code, result = run_single(build_info_path, "RetypedStorageV2Mock", "RetypedStorageV1Mock", kept_path)
    assert code == EXIT_UNSAFE and ("storage-typechange", "total") in _kinds(result)


def test_check_upgrade__validator_cannot_read_build_info__raises_not_passes(upgrade_build_info, tmp_path):
    # Our rules can read it, OZ's validator refuses it (no storageLayout selected): a tool error, never "safe".
    data = upgrade_build_info.subset(["SafeUpgradeV2Mock", "SafeUpgradeV1Mock"]).to_json()
    data["input"] = {**data["input"], "settings": {**data["input"]["settings"], "outputSelection": {"*": {"*": ["abi"]}}}}
    path = BuildInfo.from_json(data).save(tmp_path / "no-layout.json")
    with pytest.raises(ValidatorError, match="storageLayout"):
        check_upgrade(ContractRef(path, "SafeUpgradeV1Mock"), ContractRef(path, "SafeUpgradeV2Mock"))


def test_check_upgrade__validator_returns_no_result__raises_not_skipped(ref, monkeypatch):
    # A wrapper that answers without a result for the pair (crash after printing, version skew...) is a tool error.
    import strata.upgrades.oz as oz

    monkeypatch.setattr(oz, "run_batch", lambda requests, **kw: (EXIT_TOOL_ERROR, {"ok": False, "explain": "boom"}))
    with pytest.raises(ValidatorError, match="no result for SafeUpgradeV2Mock: boom"):
        check_upgrade(ref("SafeUpgradeV1Mock"), ref("SafeUpgradeV2Mock"))
