"""The deployer: an interrupted deploy resumes without deploying anything twice; records are atomic."""

from __future__ import annotations

import json
import os

import pytest

from strata.deployer import Deployer, SimulatedCrash, chain_identity, open_record
from strata.errors import RecordError
from strata.protocol import ProtocolConfig, deploy_protocol
from strata.records import load_record, save_record


def _deploy(project, chain, account, guardian, record_file, step_budget=None) -> Deployer:
    record = open_record(chain_identity(chain, chain.provider), record_file)
    deployer = Deployer(project, chain, account, record, record_file, step_budget=step_budget)
    deploy_protocol(deployer, ProtocolConfig(guardian=guardian.address))
    return deployer


@pytest.fixture
def clean_deploy(project, chain, outsider, guardian, tmp_path) -> tuple[int, int]:
    """(steps, transactions) of a deploy from scratch, measured on a snapshot that is then reverted."""
    snapshot = chain.snapshot()
    nonce_before = outsider.nonce
    steps = _deploy(project, chain, outsider, guardian, tmp_path / "clean.json").steps_taken
    transactions = outsider.nonce - nonce_before
    chain.restore(snapshot)
    return steps, transactions


def test_deploy__rerun_after_success__sends_nothing(project, chain, outsider, guardian, tmp_path):
    record_file = tmp_path / "local.json"
    first = _deploy(project, chain, outsider, guardian, record_file)
    second = _deploy(project, chain, outsider, guardian, record_file)
    assert first.steps_taken > 0
    assert second.steps_taken == 0
    assert load_record(record_file).completed is True


def test_deploy__killed_at_every_step__resumes_without_duplicates(
    project, chain, outsider, guardian, tmp_path, clean_deploy
):
    clean_steps, clean_transactions = clean_deploy
    for crash_after in range(clean_steps):
        snapshot = chain.snapshot()
        record_file = tmp_path / f"crash-{crash_after}.json"
        nonce_before = outsider.nonce
        with pytest.raises(SimulatedCrash):
            _deploy(project, chain, outsider, guardian, record_file, step_budget=crash_after)
        resumed = _deploy(project, chain, outsider, guardian, record_file)
        # Every transaction of a clean deploy was sent exactly once across the crash and the rerun.
        assert outsider.nonce - nonce_before == clean_transactions, f"crash after {crash_after} steps"
        record = load_record(record_file)
        assert record.completed
        for entry in record.contracts.values():
            assert len(chain.provider.get_code(entry.address)) > 0, entry.name
        assert resumed.steps_taken == clean_steps - crash_after
        chain.restore(snapshot)


def test_save_record__write_fails__previous_record_intact(project, chain, outsider, guardian, tmp_path, monkeypatch):
    record_file = tmp_path / "local.json"
    deployer = _deploy(project, chain, outsider, guardian, record_file)
    before = record_file.read_text()

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    deployer.record.parameters["touched"] = True
    with pytest.raises(OSError):
        save_record(deployer.record, record_file)
    assert record_file.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["local.json"]


def test_open_record__other_chain_on_live_network__refused(chain, tmp_path):
    identity = chain_identity(chain, chain.provider)
    record_file = tmp_path / "mainnet.json"
    record_file.write_text(
        json.dumps({"format": 1, "network": "ethereum:mainnet", "chain_id": 1, "genesis_hash": "0xd4e5", "contracts": {}})
    )
    live = identity.__class__(network="ethereum:mainnet", chain_id=identity.chain_id, genesis_hash=identity.genesis_hash, is_local=False)
    with pytest.raises(RecordError, match="describes chain 1"):
        open_record(live, record_file)


def test_open_record__stale_devchain_record__starts_fresh(chain, tmp_path):
    identity = chain_identity(chain, chain.provider)
    record_file = tmp_path / "local.json"
    record_file.write_text(
        json.dumps({"format": 1, "network": "ethereum:local", "chain_id": 31337, "genesis_hash": "0xold", "contracts": {}})
    )
    record = open_record(identity, record_file)
    assert record.genesis_hash == identity.genesis_hash
    assert record.contracts == {}


def test_load_record__corrupt_file__one_line_error(tmp_path):
    record_file = tmp_path / "local.json"
    record_file.write_text("{not json")
    with pytest.raises(RecordError, match="unreadable"):
        load_record(record_file)
    with pytest.raises(RecordError, match="no deployment record"):
        load_record(tmp_path / "missing.json")
