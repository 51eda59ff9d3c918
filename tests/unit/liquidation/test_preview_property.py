"""Property: ``previewLiquidation`` is exactly what ``liquidate`` does, and both equal the Python model,
over random positions, prices, health factors and requested amounts (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import ape
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.unit.liquidation.helpers import expect
from tests.unit.liquidation.market import MAX_UINT256, WAD

SYMBOLS = ("USDC", "WBTC", "WETH")
PAIRS = [(c, d) for c in SYMBOLS for d in SYMBOLS if c != d]


@pytest.fixture(scope="module")
def checker(project, market, deployer):
    """Previews and liquidates in one transaction, so the two see the very same state."""
    return deployer.deploy(project.PreviewCheckingLiquidatorMock)


def whole(market, symbol: str, usd: Decimal) -> str:
    """Whole tokens worth ``usd`` at the current price, truncated to the token's decimals."""
    price = Decimal(market.price(symbol)) / WAD
    places = Decimal(1).scaleb(-market[symbol].decimals)
    return str((usd / price).quantize(places, rounding="ROUND_DOWN"))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pair=st.sampled_from(PAIRS),
    collateral_usd=st.integers(min_value=150, max_value=5_000_000),
    borrowed_share=st.integers(min_value=30, max_value=65),  # % of the collateral value
    target_hf=st.integers(min_value=3000, max_value=9999),  # in 1e-4
    request=st.one_of(st.none(), st.integers(min_value=1, max_value=10_000)),  # None = max, else 1e-4 of the debt
)
def test_preview__random_positions__equals_execution_and_model(
    chain, market, engine, checker, borrower, liquidator, pair, collateral_usd, borrowed_share, target_hf, request
):
    collateral, debt = pair
    with chain.isolate():
        debt_usd = Decimal(collateral_usd) * borrowed_share / 100
        market.open_position(
            borrower,
            collateral,
            market[collateral].units(whole(market, collateral, Decimal(collateral_usd))),
            debt,
            max(1, market[debt].units(whole(market, debt, debt_usd))),
        )
        market.set_health_factor(borrower, collateral, Decimal(target_hf) / 10_000)
        if market.health_factor(borrower) >= WAD:
            return  # the 8-decimal feed rounded the price back to health; nothing to liquidate
        owed = market.debt_of(borrower, debt)
        requested = MAX_UINT256 if request is None else max(1, owed * request // 10_000)
        expected = expect(market, borrower, debt, collateral, requested)
        args = (borrower, market[debt].address, market[collateral].address, requested)

        if expected.seize == 0:
            with ape.reverts(engine.LiquidationEngineNothingToSeize, repayAmount=expected.repay):
                engine.previewLiquidation(*args)
            return

        preview = engine.previewLiquidation(*args)
        assert (preview.repayAmount, preview.seizeAmount, preview.protocolFeeAmount) == (
            expected.repay,
            expected.seize,
            expected.fee,
        )
        assert preview.collateralExhausted == expected.exhausted

        market[debt].token.mint(checker, expected.repay, sender=liquidator)
        receipt = checker.previewAndLiquidate(engine, market.pool, *args, sender=liquidator)
        checked = receipt.decode_logs(checker.Checked)[0]
        assert (checked.previewRepay, checked.previewSeize, checked.previewFee) == (
            checked.executedRepay,
            checked.executedSeize,
            checked.executedFee,
        )
        assert checked.debtTokenSpent == checked.previewRepay == expected.repay
        assert checked.collateralTokenReceived == checked.previewSeize - checked.previewFee == expected.to_liquidator
        event = receipt.decode_logs(market.pool.LiquidationExecuted)[0]
        assert (event.repayAmount, event.seizeAmount, event.protocolFeeAmount) == (
            expected.repay,
            expected.seize,
            expected.fee,
        )
