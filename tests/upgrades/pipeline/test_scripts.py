"""`ape run upgrade` and `ape run status` as users call them, attached to the test's Anvil: a step-by-step upgrade
shown as pending by status, finished with --continue, then a fast-forwarded rollback."""

from __future__ import annotations

from strata.chain import implementation_of
from strata.governance import short_id
from strata.records import load_record
from tests.upgrades.pipeline.conftest import ape_run, copy_of_kept

MODULE = "PriceOracle"


def test_upgrade_script__propose_then_continue__status_shows_pending_then_settled(chain, pipeline, positions, protocol, tmp_path):
    record = str(pipeline.record_file)
    store = str(copy_of_kept(tmp_path / "build-info").root)

    proposed = ape_run(chain, "upgrade", MODULE, "PriceOracleV2", "--record", record, "--build-info-dir", store)
    assert proposed.returncode == 0, proposed.stdout + proposed.stderr
    assert "SAFE" in proposed.stdout and "Rehearsal of PriceOracle" in proposed.stdout and "PASSED" in proposed.stdout
    assert "--continue" in proposed.stdout
    pending = load_record(pipeline.record_file).parameters["pending_upgrades"][MODULE]

    status = ape_run(chain, "status", "--record", record)
    assert status.returncode == 0, status.stderr
    assert "Pending upgrade proposals" in status.stdout
    assert short_id(int(pending["proposal_id"])) in status.stdout and "PriceOracleV2 2.0.0" in status.stdout, status.stdout
    assert "Pending" in status.stdout

    finished = ape_run(chain, "upgrade", MODULE, "--continue", "--fast-forward", "--record", record)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Verification of PriceOracle" in finished.stdout and "OK" in finished.stdout
    saved = load_record(pipeline.record_file)
    assert saved.require(MODULE).version == "2.0.0" and "pending_upgrades" not in saved.parameters
    assert implementation_of(chain.provider, protocol.oracle.address) == pending["implementation"]
    assert (tmp_path / "build-info" / "PriceOracleV2-2.0.0.json").is_file()

    settled = ape_run(chain, "status", "--record", record)
    assert settled.returncode == 0 and "none" in settled.stdout

    rolled_back = ape_run(chain, "upgrade", MODULE, "--rollback", "--fast-forward", "--record", record, "--build-info-dir", store)
    assert rolled_back.returncode == 0, rolled_back.stdout + rolled_back.stderr
    history = load_record(pipeline.record_file).require(MODULE).history
    assert [h.version for h in history] == ["1.0.0", "2.0.0", "1.0.0"]
    assert protocol.oracle.version() == "1.0.0"


def test_upgrade_script__bad_usage__exit_code_2():
    for args in (("upgrade", MODULE), ("upgrade", MODULE, "PriceOracleV2", "--rollback"), ("upgrade", MODULE, "PriceOracleV2", "--arg", "1")):
        result = ape_run_no_chain(*args)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr


def test_upgrade_script__help__documents_step_by_step_mode():
    result = ape_run_no_chain("upgrade", "--help")
    assert result.returncode == 0
    for text in ("--continue", "--fast-forward", "--rollback", "--dry-run", "Step by step"):
        assert text in result.stdout


def test_migration_scripts__help__prepare_enact_verify():
    for name in ("20261125_liquidation_v2", "20261125_price_oracle_v2"):
        result = ape_run_no_chain("upgrades", name, "--help")
        assert result.returncode == 0, result.stderr
        for command in ("prepare", "enact", "verify"):
            assert command in result.stdout


def ape_run_no_chain(*args: str):
    """Usage errors and --help need no node: run them without attaching to one."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    ape = Path(sys.executable).with_name("ape")
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "200"}
    return subprocess.run([str(ape), "run", *args], cwd=root, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
