"""Kept references (build-info/): the deployed version's build-info, not today's source, is what an upgrade is
checked against; a missing one is an error that says which file and how to make it; record-all keeps them."""

from __future__ import annotations

import json

import pytest

from strata.records import ContractEntry, DeploymentRecord, ImplementationEntry
from strata.upgrades import BuildInfoError, BuildInfoStore, check_upgrade
from strata.upgrades.buildinfo import collect_sources, compile_sources
from strata.upgrades.errors import ReferenceMissing
from strata.upgrades.pipeline import UpgradePipeline
from strata.upgrades.references import deployed_reference, kept_contracts, migration_targets, record_all
from tests.upgrades.safety.cases import upgradeable_modules

SAFE_SOURCE = "contracts/mocks/upgrades/SafeUpgrade.sol"
V1, V2 = "SafeUpgradeV1Mock", "SafeUpgradeV2Mock"
IMPL = "0x" + "11" * 20


def _entry(contract: str = V1, version: str = "1.0.0") -> ContractEntry:
    history = [ImplementationEntry(address=IMPL, contract=contract, version=version, tx=None, block=None)]
    return ContractEntry(
        name="SafeModule", contract=contract, address="0x" + "22" * 20, tx=None, block=None,
        implementation=IMPL, version=version, history=history,
    )


def _pipeline(store: BuildInfoStore, **kwargs) -> UpgradePipeline:
    # The check step touches no chain: a pipeline over an in-memory record is enough.
    record = DeploymentRecord(network="ethereum:local", chain_id=1337, genesis_hash="0x00")
    return UpgradePipeline(None, None, None, record, None, None, store=store, **kwargs)


@pytest.fixture(scope="module")
def deployed_v1():
    """V1 as it was deployed: one more field than today's source (which was then edited in place)."""
    sources = collect_sources([SAFE_SOURCE])
    today = sources[SAFE_SOURCE]
    sources[SAFE_SOURCE] = today.replace("        uint256 total;\n", "        uint256 total;\n        uint256 fee;\n", 1)
    assert sources[SAFE_SOURCE] != today
    return compile_sources(sources)


def test_deployed_reference__kept_file__read_from_build_info_and_checks_the_shipped_upgrade(ref):
    kept = deployed_reference(BuildInfoStore(), "LiquidationEngine", "1.0.0")
    bi = kept.load()
    assert bi.path.parent.name == "build-info" and bi.path.name == "LiquidationEngine-1.0.0.json"
    # Small: only the contract's source and its imports, not the whole project.
    assert len(bi.input["sources"]) < len(ref("LiquidationEngineV2").load().input["sources"]) / 2
    report = check_upgrade(kept, ref("LiquidationEngineV2"))
    assert report.ok, report.table()


def test_deployed_reference__missing__error_names_file_and_command(tmp_path):
    with pytest.raises(ReferenceMissing) as err:
        deployed_reference(BuildInfoStore(tmp_path), "LendingPool", "1.0.0")
    message = str(err.value)
    assert f"{tmp_path}/LendingPool-1.0.0.json is missing" in message
    assert "python -m strata.upgrades record LendingPool 1.0.0" in message and "make build-info" in message


def test_pipeline_check__v1_source_edited_in_place__compared_with_deployed_build_info(tmp_path, deployed_v1):
    store = BuildInfoStore(tmp_path)
    store.save(V1, "1.0.0", deployed_v1)
    report, version = _pipeline(store).check(_entry(), V2)
    assert version == "2.0.0"
    # Today's V1 -> V2 is the SAFE fixture pair; against what was deployed, V2 drops the `fee` field.
    assert not report.ok
    assert any("fee" in f"{p.subject} {p.detail}" for p in report.errors), report.table()
    assert any(f"reference: the deployed {V1} 1.0.0, kept in {store.path_for(V1, '1.0.0')}" in n for n in report.notes)


def test_pipeline_check__reference_missing__refused_with_file_and_command(tmp_path):
    with pytest.raises(ReferenceMissing, match=rf"{V1}-1\.0\.0\.json is missing.*python -m strata.upgrades record {V1} 1\.0\.0"):
        _pipeline(BuildInfoStore(tmp_path)).check(_entry(), V2)


def test_pipeline_check__reference_from_source__working_tree_compared_and_noted(tmp_path):
    report, _ = _pipeline(BuildInfoStore(tmp_path), reference_from_source=True).check(_entry(), V2)
    assert report.ok, report.table()
    assert any(f"no kept build-info for {V1} 1.0.0: compared with the working tree" in n for n in report.notes)


def test_pipeline_check__record_history_disagrees__refused(tmp_path):
    entry = _entry()
    entry.implementation = "0x" + "33" * 20
    with pytest.raises(Exception, match="inconsistent"):
        _pipeline(BuildInfoStore(tmp_path)).check(entry, V2)


def test_record_all__new_then_again__kept_then_unchanged(tmp_path):
    store = BuildInfoStore(tmp_path)
    first = record_all(store, [V1, V2])
    assert [(r.contract, r.version, r.status) for r in first] == [(V1, "1.0.0", "kept"), (V2, "2.0.0", "kept")]
    assert store.path_for(V1, "1.0.0").is_file() and store.path_for(V2, "2.0.0").is_file()
    assert [r.status for r in record_all(store, [V1, V2])] == ["unchanged", "unchanged"]
    assert [r.status for r in record_all(store, [V1, V2], check=True)] == ["unchanged", "unchanged"]


def test_record_all__kept_from_other_code__stale_refused_or_replaced(tmp_path, deployed_v1):
    store = BuildInfoStore(tmp_path / "build-info")
    store.save(V1, "1.0.0", deployed_v1)
    (check,) = record_all(store, [V1], check=True)
    assert check.status == "stale" and not check.ok
    with pytest.raises(BuildInfoError, match="immutable"):
        record_all(store, [V1])
    # A version a committed deployment record names describes live code: never replaced.
    deployments = tmp_path / "deployments"
    deployments.mkdir()
    (deployments / "mainnet.json").write_text(json.dumps({"contracts": {"M": {"history": [{"contract": V1, "version": "1.0.0"}]}}}))
    with pytest.raises(BuildInfoError, match="committed deployment record"):
        record_all(store, [V1], replace=True, deployments=deployments)
    (replaced,) = record_all(store, [V1], replace=True, deployments=tmp_path / "none")
    assert replaced.status == "replaced"
    assert store.load(V1, "1.0.0").id != deployed_v1.id


def test_check_missing__empty_store__reported_missing_and_nothing_written(tmp_path):
    (missing,) = record_all(BuildInfoStore(tmp_path), [V1], check=True)
    assert missing.status == "missing" and not missing.ok
    assert not any(tmp_path.iterdir())


def test_kept_contracts__every_upgradeable_module_and_shipped_upgrade__has_a_kept_build_info():
    kept = kept_contracts()
    assert set(migration_targets()) == {"LiquidationEngineV2", "PriceOracleV2"}
    assert set(upgradeable_modules()) <= set(kept)
    store = BuildInfoStore()
    missing = [c for c in kept if not store.versions(c)]
    assert not missing, f"no kept build-info for {missing}: run `make build-info` and commit build-info/"
