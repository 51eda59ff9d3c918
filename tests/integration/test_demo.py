"""The demo scenario (`make demo`) runs start to finish on the test chain and ends with its governance change."""

from strata.demo import run_demo
from strata.deployer import Deployer, chain_identity, open_record


def test_demo__fresh_deployment__runs_to_the_executed_proposal(project, chain, accounts):
    record = open_record(chain_identity(chain, chain.provider), None)
    deployer = Deployer(project, chain, accounts[0], record, None)
    shown = []
    protocol = run_demo(project, chain, accounts, deployer, show=shown.append, rule=shown.append)
    usdc = protocol.assets["USDC"]
    assert protocol.pool.getReserveConfig(usdc).supplyCap == 200_000_000
    assert any("Executed" in str(item) for item in shown)
    assert protocol.registry.governance() == protocol.timelock.address
    history = deployer.record.require("LiquidationEngine").history
    assert [(h.contract, h.version) for h in history] == [
        ("LiquidationEngine", "1.0.0"), ("LiquidationEngineV2", "2.0.0"), ("LiquidationEngine", "1.0.0")
    ]
