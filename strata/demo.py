"""The demo scenario ``make demo`` runs on a fresh devchain, step by step, with tables between the steps.

1. deploy the whole protocol (three markets: USDC 6 decimals, WETH 18, WBTC 8) and hand it to the Timelock;
2. suppliers and borrowers open positions; 30 days of interest accrue;
3. a governance proposal raises a risk parameter and is executed end to end (propose → vote → queue → execute);
4. the liquidation engine alone is upgraded to V2 (Dutch auction) through governance — checked, rehearsed on a
   snapshot, voted, executed, verified, recorded — while the positions stay open, then rolled back to V1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from strata import governance as gov
from strata.deployer import Deployer
from strata.protocol import Protocol, ProtocolConfig, deploy_protocol
from strata.views import module_table, positions_table, reserves_table

DAY = 24 * 3600
WAD = 10**18
VOTER_STAKE = 5_000_000  # whole STRATA: 5% of the supply, above the 4% quorum


@dataclass
class DemoActors:
    deployer: Any
    guardian: Any
    voter: Any
    suppliers: list[Any]
    borrowers: list[Any]


def demo_actors(accounts: Any) -> DemoActors:
    # `ape.accounts` (scripts) or the pytest `accounts` fixture (already the test accounts).
    test = getattr(accounts, "test_accounts", accounts)
    return DemoActors(deployer=test[0], guardian=test[1], voter=test[7], suppliers=[test[2], test[8]], borrowers=[test[3], test[9]])


def symbols_of(protocol: Protocol) -> dict[str, str]:
    return {str(token.address): symbol for symbol, token in protocol.assets.items()}


def whole(token: Any, amount: float) -> int:
    return int(amount * 10 ** int(token.decimals()))


def run_demo(project: Any, chain: Any, accounts: Any, deployer: Deployer, show: Callable[[Any], None], rule: Callable[[str], None]) -> Protocol:
    actors = demo_actors(accounts)
    rule("1. Deploy")
    config = ProtocolConfig(guardian=actors.guardian.address, token_holders={actors.voter.address: VOTER_STAKE})
    protocol = deploy_protocol(deployer, config)
    show(module_table(deployer.record, project, chain.provider))
    symbols = symbols_of(protocol)
    show(reserves_table(protocol.pool, protocol.oracle, symbols))

    rule("2. Positions and 30 days of interest")
    open_demo_positions(protocol, actors)
    chain.mine(timestamp=chain.pending_timestamp + 30 * DAY)
    refresh_prices(protocol, actors.deployer)
    named = {f"supplier {i + 1}": a.address for i, a in enumerate(actors.suppliers)}
    named.update({f"borrower {i + 1}": a.address for i, a in enumerate(actors.borrowers)})
    show(reserves_table(protocol.pool, protocol.oracle, symbols))
    show(positions_table(protocol.pool, named, symbols))

    rule("3. Governance: raise the USDC supply cap through a proposal")
    usdc = protocol.assets["USDC"]
    before = protocol.pool.getReserveConfig(usdc)
    new_config = (before.ltv, before.liquidationThreshold, before.liquidationBonus, before.reserveFactor, before.supplyCap * 2, before.borrowCap, before.borrowingEnabled)
    # `token.delegate` is shadowed by ape's EIP-7702 `delegate` attribute of addresses.
    protocol.token.invoke_transaction("delegate", actors.voter, sender=actors.voter)
    chain.mine()
    action = gov.encode_call(protocol.pool, "setReserveConfig", usdc.address, new_config)
    proposal = gov.Proposal.from_actions([action], "Double the USDC supply cap")
    result = gov.run_lifecycle(protocol.governor, actors.voter, proposal, voters=[actors.voter], fast_forward=True)
    after = protocol.pool.getReserveConfig(usdc)
    show(f"proposal {result.proposal_id}: {' → '.join(result.states)}")
    show(f"USDC supply cap {before.supplyCap:,} → {after.supplyCap:,} tokens (executed by the Timelock)")

    rule("4. Upgrade one module through governance: LiquidationEngine → V2 (Dutch auction), then roll back")
    upgrade_liquidation_engine(deployer, accounts, actors, show)
    show(module_table(deployer.record, project, chain.provider))
    show(positions_table(protocol.pool, named, symbols, title="Positions after upgrade and rollback (unchanged)"))
    return protocol


def upgrade_liquidation_engine(deployer: Deployer, accounts: Any, actors: DemoActors, show: Callable[[Any], None]) -> None:
    """V1 → V2 → V1 through the upgrade pipeline, printing each outcome (history kept in the record)."""
    from strata.upgrades.pipeline import UpgradePipeline, UpgradeSpec

    pipeline = UpgradePipeline.from_deployer(deployer, accounts)
    spec = UpgradeSpec(
        "LiquidationEngine",
        "LiquidationEngineV2",
        call="initializeV2",
        args=(WAD // 100, 90 * WAD // 100),  # bonus 1% just below HF 1, the reserve's full bonus at HF 0.90
    )
    for label, outcome in (
        ("upgrade to V2", pipeline.run(spec, proposer=actors.voter, voters=[actors.voter])),
        ("rollback to V1", pipeline.rollback("LiquidationEngine", proposer=actors.voter, voters=[actors.voter])),
    ):
        verified = outcome.verification is not None and outcome.verification.ok
        timings = ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in outcome.seconds.items())
        show(f"{label}: {' → '.join(outcome.steps.done)}; state {outcome.steps.state}; verified {verified} ({timings})")
    history = deployer.record.require("LiquidationEngine").history
    show("LiquidationEngine history: " + " → ".join(f"{h.contract} {h.version}" for h in history))


def refresh_prices(protocol: Protocol, reporter: Any) -> None:
    """Re-reports every feed's answer, as Chainlink's heartbeat would after time passed on the devchain."""
    for feed in protocol.feeds.values():
        feed.setAnswer(feed.latestRoundData()[1], sender=reporter)


def open_demo_positions(protocol: Protocol, actors: DemoActors) -> None:
    """Two suppliers fund the three markets; two borrowers post WETH/WBTC collateral and borrow USDC/WETH."""
    pool = protocol.pool
    usdc, weth, wbtc = (protocol.assets[s] for s in ("USDC", "WETH", "WBTC"))
    deposits = {usdc: 300_000, weth: 150, wbtc: 10}
    for supplier in actors.suppliers:
        for token, amount in deposits.items():
            _supply(pool, token, supplier, whole(token, amount))
    collateral = [(weth, 100), (wbtc, 5)]
    loans = [(usdc, 200_000), (weth, 60)]
    for borrower, (token, amount), (debt_token, debt) in zip(actors.borrowers, collateral, loans):
        _supply(pool, token, borrower, whole(token, amount))
        pool.borrow(debt_token, whole(debt_token, debt), borrower, sender=borrower)


def _supply(pool: Any, token: Any, account: Any, amount: int) -> None:
    token.mint(account, amount, sender=account)
    token.approve(pool, amount, sender=account)
    pool.supply(token, amount, account, sender=account)
