"""Refused upgrades change nothing: not the chain, not the record; the script exits non-zero with a report.

Two ways to be refused: the safety check (an unsafe fixture pair of the upgrade-safety suite, recorded as a module
of this deployment), and the rehearsal (a safe V2 whose upgrade call breaks an invariant: it removes a feed).
"""

from __future__ import annotations

import pytest

from strata.deployer import Deployer
from strata.upgrades import compile_build_info
from strata.upgrades.pipeline import UpgradeError, UpgradeRefused, UpgradeSpec
from tests.upgrades.pipeline.conftest import ape_run

UNSAFE_MODULE = "InsertedStorage"


def chain_state(chain, pipeline) -> tuple:
    """What a refused upgrade must leave as it was: the head, and every recorded proxy's implementation slot."""
    from strata.chain import implementation_of

    head = chain.blocks.head
    slots = tuple(implementation_of(chain.provider, e.address) for e in pipeline.record.proxies())
    return int(head.number), head.hash, slots


@pytest.fixture
def unsafe_module(project, chain, pipeline, deployer, protocol):
    """A proxied InsertedStorageV1Mock, governed by the Timelock like every module, recorded, and its build-info kept
    (in the pipeline's store) as the reference of its upgrade."""
    Deployer(project, chain, deployer, pipeline.record, None).deploy_proxy(
        UNSAFE_MODULE, "InsertedStorageV1Mock", "initialize", (protocol.registry.address,), module_id="INSERTED_STORAGE"
    )
    pipeline.save()
    entry = pipeline.record.require(UNSAFE_MODULE)
    pipeline.store.save(entry.contract, entry.version, compile_build_info(["contracts/mocks/upgrades/InsertedStorage.sol"]))
    return entry


def breaking_spec(protocol) -> UpgradeSpec:
    """PriceOracleV2 is safe, but this upgrade call removes the USDC feed: prices and account values change."""
    return UpgradeSpec("PriceOracle", "PriceOracleV2", call="removeFeed", args=(protocol.assets["USDC"].address,))


def test_prepare__unsafe_storage_layout__refused_before_anything_is_deployed(chain, pipeline, unsafe_module):
    state, record_bytes = chain_state(chain, pipeline), pipeline.record_file.read_bytes()

    with pytest.raises(UpgradeRefused) as refused:
        pipeline.prepare(UpgradeSpec(UNSAFE_MODULE, "InsertedStorageV2Mock"))

    assert refused.value.rehearsal is None  # refused by the check, before any deployment
    assert "storage-insert" in refused.value.safety.kinds()
    assert chain_state(chain, pipeline) == state
    assert pipeline.record_file.read_bytes() == record_bytes
    assert not any(name.startswith(f"{UNSAFE_MODULE}Implementation@") for name in pipeline.record.contracts)


def test_prepare__upgrade_call_breaks_invariants__refused_by_rehearsal_and_undone(chain, pipeline, protocol, positions):
    state, record_bytes = chain_state(chain, pipeline), pipeline.record_file.read_bytes()

    with pytest.raises(UpgradeRefused) as refused:
        pipeline.prepare(breaking_spec(protocol))

    rehearsal = refused.value.rehearsal
    assert refused.value.safety.ok and rehearsal is not None and not rehearsal.ok
    violated = {c.path for c in rehearsal.invariants.violations}
    assert "price.USDC" in violated and "params.PriceOracle.getFeed.USDC.feed" in violated
    assert any(p.startswith("account.") for p in violated)  # every USDC holder's account value
    # The implementation deployed before the rehearsal is undone with it: same head, same slots, same record.
    assert chain_state(chain, pipeline) == state
    assert pipeline.record_file.read_bytes() == record_bytes
    assert protocol.oracle.getAssetPrice(protocol.assets["USDC"]) > 0


def test_prepare__dry_run__rehearsed_then_undone(chain, pipeline, oracle_v2):
    state, record_bytes = chain_state(chain, pipeline), pipeline.record_file.read_bytes()

    prepared = oracle_v2.prepare(pipeline, dry_run=True)

    assert prepared.safety.ok and prepared.rehearsal.ok
    assert chain_state(chain, pipeline) == state
    assert pipeline.record_file.read_bytes() == record_bytes
    assert len(chain.provider.get_code(prepared.implementation)) == 0
    with pytest.raises(UpgradeError, match="dry run"):
        pipeline.propose(prepared, None)


def test_prepare__same_version_as_deployed__refused(pipeline):
    with pytest.raises(UpgradeRefused, match="already runs"):
        pipeline.prepare(UpgradeSpec("PriceOracle", "PriceOracle"))


def test_prepare__unknown_module_or_contract__one_line_errors(pipeline):
    with pytest.raises(UpgradeError, match="no proxied module 'Nope'"):
        pipeline.prepare(UpgradeSpec("Nope", "PriceOracleV2"))
    with pytest.raises(UpgradeError, match="not in the compiled project"):
        pipeline.prepare(UpgradeSpec("PriceOracle", "PriceOracleV9"))
    with pytest.raises(UpgradeError, match="takes 2 argument"):
        pipeline.prepare(UpgradeSpec("LiquidationEngine", "LiquidationEngineV2", call="initializeV2", args=("1",)))


def test_rollback__single_recorded_implementation__refused(pipeline):
    with pytest.raises(UpgradeError, match="nothing to roll back to"):
        pipeline.prepare_rollback("PriceOracle")


def test_upgrade_script__unsafe_candidate__exits_non_zero_with_report_and_changes_nothing(chain, pipeline, unsafe_module):
    state, record_bytes = chain_state(chain, pipeline), pipeline.record_file.read_bytes()

    result = ape_run(
        chain, "upgrade", UNSAFE_MODULE, "InsertedStorageV2Mock", "--fast-forward", "--record", str(pipeline.record_file),
        "--build-info-dir", str(pipeline.store.root),
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "refused" in errors[0] and "storage-insert" in errors[0], result.stderr
    assert "UNSAFE" in result.stdout and "storage-insert" in result.stdout  # the report's table
    assert chain_state(chain, pipeline) == state
    assert pipeline.record_file.read_bytes() == record_bytes


def test_upgrade_script__rehearsal_fails__exits_non_zero_with_rehearsal_report(chain, pipeline, protocol, positions):
    state, record_bytes = chain_state(chain, pipeline), pipeline.record_file.read_bytes()
    usdc = protocol.assets["USDC"].address

    result = ape_run(chain, "upgrade", "PriceOracle", "PriceOracleV2", "--call", "removeFeed", "--arg", usdc, "--record", str(pipeline.record_file))

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Rehearsal of PriceOracle" in result.stdout and "FAILED" in result.stdout
    assert "price.USDC" in result.stdout
    assert chain_state(chain, pipeline) == state
    assert pipeline.record_file.read_bytes() == record_bytes


def test_upgrade_script__deployed_version_not_kept__one_line_error_names_file_and_command(chain, pipeline, unsafe_module, tmp_path):
    state, record_bytes = chain_state(chain, pipeline), pipeline.record_file.read_bytes()
    empty = tmp_path / "no-build-info"
    empty.mkdir()

    result = ape_run(
        chain, "upgrade", UNSAFE_MODULE, "InsertedStorageV2Mock", "--record", str(pipeline.record_file), "--build-info-dir", str(empty)
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert f"{empty}/InsertedStorageV1Mock-1.0.0.json is missing" in errors[0]
    assert "python -m strata.upgrades record InsertedStorageV1Mock 1.0.0" in errors[0]
    assert chain_state(chain, pipeline) == state
    assert pipeline.record_file.read_bytes() == record_bytes
