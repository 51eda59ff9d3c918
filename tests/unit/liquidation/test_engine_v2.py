"""LiquidationEngineV2: the Dutch-auction bonus, and the upgrade of a live V1 proxy to it."""

from __future__ import annotations

import ape
import pytest

from strata.chain import implementation_of
from tests.unit.liquidation.helpers import expect, liquidate_and_measure, pool_liquidation_event
from tests.unit.liquidation.market import AUCTION_FLOOR_HF, AUCTION_START_BONUS, MAX_UINT256, WAD
from tests.unit.liquidation.model import v2_bonus
from tests.unit.liquidation.test_engine_admin import NAMESPACE, erc7201, word

CUSTOM_V1 = {  # non-default V1 parameters, to see that the upgrade keeps them
    "setCloseFactor": 6 * WAD // 10,
    "setFullLiquidationHealthFactor": 9 * WAD // 10,
    "setDustDebtValue": 50 * WAD,
    "setProtocolFeeShare": 2 * WAD // 10,
}


FULL_HF = 95 * WAD // 100


def upgrade_to_v2(project, engine, governance, start=AUCTION_START_BONUS, floor=AUCTION_FLOOR_HF):
    implementation = governance.deploy(project.LiquidationEngineV2)
    data = implementation.initializeV2.encode_input(start, floor)
    receipt = engine.upgradeToAndCall(implementation, data, sender=governance)
    return project.LiquidationEngineV2.at(engine.address), implementation, receipt


@pytest.fixture
def engine_v2(project, engine, governance):
    upgraded, _, _ = upgrade_to_v2(project, engine, governance)
    return upgraded


# -- upgrade -----------------------------------------------------------------------------------------------


def test_upgrade__v1_to_v2__keeps_parameters_and_modules(chain, project, market, engine, governance):
    for setter, value in CUSTOM_V1.items():
        getattr(engine, setter)(value, sender=governance)
    base = erc7201(NAMESPACE)
    v1_slots = [word(chain.provider, engine.address, base + i) for i in range(2)]
    v1_implementation = implementation_of(chain.provider, engine.address)

    upgraded, implementation, receipt = upgrade_to_v2(project, engine, governance)

    assert upgraded.version() == "2.0.0"
    assert implementation_of(chain.provider, engine.address) == implementation.address != v1_implementation
    assert [word(chain.provider, engine.address, base + i) for i in range(2)] == v1_slots
    assert upgraded.closeFactor() == CUSTOM_V1["setCloseFactor"]
    assert upgraded.fullLiquidationHealthFactor() == CUSTOM_V1["setFullLiquidationHealthFactor"]
    assert upgraded.dustDebtValue() == CUSTOM_V1["setDustDebtValue"]
    assert upgraded.protocolFeeShare() == CUSTOM_V1["setProtocolFeeShare"]
    assert (upgraded.pool(), upgraded.oracle(), upgraded.registry()) == (
        market.pool.address,
        market.oracle.address,
        market.registry.address,
    )
    assert (upgraded.auctionStartBonus(), upgraded.auctionFloorHealthFactor()) == (AUCTION_START_BONUS, AUCTION_FLOOR_HF)
    # The appended fields live in the next slot of the same namespace.
    assert word(chain.provider, engine.address, base + 2) == AUCTION_START_BONUS | (AUCTION_FLOOR_HF << 64)
    start_events = receipt.decode_logs(upgraded.AuctionStartBonusSet)
    assert [(e.previous, e.current) for e in start_events] == [(0, AUCTION_START_BONUS)]


def test_upgrade__initialize_v2_twice__reverts(engine_v2, governance):
    with ape.reverts(engine_v2.InvalidInitialization):
        engine_v2.initializeV2(0, 0, sender=governance)


def test_upgrade__initialize_v2_not_governance__reverts(project, engine, governance, attacker):
    """Even through a legitimate upgrade path the migration is governance's: a direct call is refused."""
    upgraded = project.LiquidationEngineV2.at(engine.address)
    implementation = governance.deploy(project.LiquidationEngineV2)
    engine.upgradeToAndCall(implementation, b"", sender=governance)  # upgraded without migrating
    with ape.reverts(upgraded.StrataUnauthorizedGovernance):
        upgraded.initializeV2(AUCTION_START_BONUS, AUCTION_FLOOR_HF, sender=attacker)
    upgraded.initializeV2(AUCTION_START_BONUS, AUCTION_FLOOR_HF, sender=governance)
    assert upgraded.auctionStartBonus() == AUCTION_START_BONUS


def test_upgrade__v2_back_to_v1__rollback_keeps_v1_parameters(project, engine, governance):
    engine.setCloseFactor(CUSTOM_V1["setCloseFactor"], sender=governance)
    upgraded, _, _ = upgrade_to_v2(project, engine, governance)
    v1 = governance.deploy(project.LiquidationEngine)
    upgraded.upgradeToAndCall(v1, b"", sender=governance)
    assert engine.version() == "1.0.0"
    assert engine.closeFactor() == CUSTOM_V1["setCloseFactor"]


def test_fresh_v2__initialize_then_initialize_v2__works(project, governance, market_registry):
    implementation = governance.deploy(project.LiquidationEngineV2)
    data = implementation.initialize.encode_input(market_registry, WAD // 2, FULL_HF, 0, 0)
    proxy = governance.deploy(project.ModuleProxy, implementation, data)
    engine = project.LiquidationEngineV2.at(proxy.address)
    engine.initializeV2(AUCTION_START_BONUS, AUCTION_FLOOR_HF, sender=governance)
    assert engine.version() == "2.0.0" and engine.auctionFloorHealthFactor() == AUCTION_FLOOR_HF


# -- the auction curve -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hf",
    [WAD, WAD - 1, 999 * WAD // 1000, 97 * WAD // 100, 95 * WAD // 100, 92_345_678_901_234_567, AUCTION_FLOOR_HF + 1,
     AUCTION_FLOOR_HF, 85 * WAD // 100, 0],
)
@pytest.mark.parametrize("symbol", ["USDC", "WBTC", "WETH"])
def test_bonus_curve__health_factors__linear_from_start_to_cap(market, engine_v2, hf, symbol):
    cap = int(market.pool.getLiquidationParams(market[symbol].address)[1])
    assert engine_v2.liquidationBonusAt(market[symbol].address, hf) == v2_bonus(
        hf, cap, AUCTION_START_BONUS, AUCTION_FLOOR_HF
    )


def test_bonus_curve__monotonic_and_bounded(market, engine_v2):
    cap = int(market.pool.getLiquidationParams(market["WBTC"].address)[1])
    bonuses = [int(engine_v2.liquidationBonusAt(market["WBTC"].address, hf * WAD // 100)) for hf in range(100, 80, -1)]
    assert bonuses == sorted(bonuses)
    assert bonuses[0] == AUCTION_START_BONUS and bonuses[-1] == cap


def test_bonus_curve__start_above_cap__cap_everywhere(market, engine_v2, governance):
    engine_v2.setAuctionStartBonus(WAD // 2, sender=governance)
    cap = int(market.pool.getLiquidationParams(market["USDC"].address)[1])
    for hf in (WAD - 1, 95 * WAD // 100, WAD // 2):
        assert engine_v2.liquidationBonusAt(market["USDC"].address, hf) == cap


def test_bonus_curve__v1__flat_at_cap(market, engine):
    cap = int(market.pool.getLiquidationParams(market["WETH"].address)[1])
    for hf in (WAD - 1, 95 * WAD // 100, 0):
        assert engine.liquidationBonusAt(market["WETH"].address, hf) == cap


# -- liquidations under V2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hf", ["0.97", "0.93", "0.85"])
@pytest.mark.parametrize(
    "collateral, collateral_amount, debt, debt_amount",
    [("WBTC", "2", "USDC", "60000"), ("USDC", "120000", "WETH", "20"), ("WETH", "40", "WBTC", "1")],
    ids=["WBTC->USDC", "USDC->WETH", "WETH->WBTC"],
)
def test_liquidate_v2__follows_auction_rule_exactly(
    market, engine_v2, unhealthy_position, borrower, funded_liquidator, hf, collateral, collateral_amount, debt, debt_amount
):
    reached = unhealthy_position(borrower, collateral, collateral_amount, debt, debt_amount, hf)
    expected = expect(market, borrower, debt, collateral, auction=(AUCTION_START_BONUS, AUCTION_FLOOR_HF))
    preview = engine_v2.previewLiquidation(borrower, market[debt].address, market[collateral].address, MAX_UINT256)
    cap = int(market.pool.getLiquidationParams(market[collateral].address)[1])
    assert preview.liquidationBonus == v2_bonus(reached, cap, AUCTION_START_BONUS, AUCTION_FLOOR_HF)
    if reached > AUCTION_FLOOR_HF:
        assert preview.liquidationBonus < cap

    moved = liquidate_and_measure(market, funded_liquidator, borrower, debt, collateral)

    assert moved.debt_spent == expected.repay
    assert moved.collateral_received == expected.to_liquidator
    event = pool_liquidation_event(market, moved.receipt)
    assert (event.seizeAmount, event.protocolFeeAmount) == (expected.seize, expected.fee)


def test_liquidate_v2__same_position__cheaper_for_borrower_than_v1(
    project, market, engine, governance, unhealthy_position, borrower, funded_liquidator
):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    args = (borrower, market["USDC"].address, market["WBTC"].address, MAX_UINT256)
    v1_preview = engine.previewLiquidation(*args)
    upgraded, _, _ = upgrade_to_v2(project, engine, governance)
    v2_preview = upgraded.previewLiquidation(*args)
    assert v2_preview.repayAmount == v1_preview.repayAmount
    assert v2_preview.seizeAmount < v1_preview.seizeAmount


# -- V2 setters --------------------------------------------------------------------------------------------


def test_v2_setters__governance__update_and_emit(engine_v2, governance):
    receipt = engine_v2.setAuctionStartBonus(2 * WAD // 100, sender=governance)
    assert [(e.previous, e.current) for e in receipt.decode_logs(engine_v2.AuctionStartBonusSet)] == [
        (AUCTION_START_BONUS, 2 * WAD // 100)
    ]
    receipt = engine_v2.setAuctionFloorHealthFactor(8 * WAD // 10, sender=governance)
    assert [(e.previous, e.current) for e in receipt.decode_logs(engine_v2.AuctionFloorHealthFactorSet)] == [
        (AUCTION_FLOOR_HF, 8 * WAD // 10)
    ]


def test_v2_setters__out_of_range_or_not_governance__revert(engine_v2, governance, attacker):
    with ape.reverts(engine_v2.LiquidationEngineInvalidParameter, value=WAD):
        engine_v2.setAuctionFloorHealthFactor(WAD, sender=governance)
    with ape.reverts(engine_v2.LiquidationEngineInvalidParameter, value=WAD + 1):
        engine_v2.setAuctionStartBonus(WAD + 1, sender=governance)
    with ape.reverts(engine_v2.StrataUnauthorizedGovernance):
        engine_v2.setAuctionStartBonus(0, sender=attacker)
    with ape.reverts(engine_v2.StrataUnauthorizedGovernance):
        engine_v2.setAuctionFloorHealthFactor(0, sender=attacker)


# -- upgrade safety (OpenZeppelin's validator + Strata's rules) --------------------------------------------


def test_upgrade_safety__v1_to_v2__safe_and_keeps_interface():
    """V2 appends to V1's namespace, keeps every V1 function, has a guarded reinitializer: no problem at all."""
    from strata.upgrades import ContractRef, check_upgrade, compile_build_info

    build = compile_build_info(
        [
            "contracts/liquidation/LiquidationEngine.sol",
            "contracts/liquidation/LiquidationEngineV2.sol",
            "interfaces/ILiquidationEngine.sol",
        ]
    )
    report = check_upgrade(
        ContractRef(build, "LiquidationEngine"),
        ContractRef(build, "LiquidationEngineV2"),
        interface=ContractRef(build, "ILiquidationEngine"),
    )
    assert report.ok, report
    assert not report.problems, report


def test_upgrade_safety__v2_back_to_v1__flags_dropped_fields_and_functions():
    """The rollback is possible but not silent: it drops V2's appended fields and functions."""
    from strata.upgrades import ContractRef, check_upgrade, compile_build_info

    build = compile_build_info(
        ["contracts/liquidation/LiquidationEngine.sol", "contracts/liquidation/LiquidationEngineV2.sol"]
    )
    report = check_upgrade(ContractRef(build, "LiquidationEngineV2"), ContractRef(build, "LiquidationEngine"))
    assert not report.ok
    assert {"storage-delete", "function-removed"} <= {p.kind for p in report.problems}
