"""The liquidation keeper (strata/keeper.py) and its script (scripts/liquidate.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from strata.keeper import WAD, InventoryFunding, Keeper, erc20_at
from tests.unit.liquidation.market import MAX_UINT256

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def crowd(market, open_position, borrower, second_borrower, third_borrower, outsider):
    """Four borrowers over the three assets; a price move then leaves three of them unhealthy."""
    open_position(borrower, "WBTC", "2", "USDC", "80000")  # hf 1.125
    open_position(second_borrower, "WBTC", "1", "USDC", "41000")  # hf 1.098
    open_position(third_borrower, "USDC", "100000", "WETH", "25")  # hf 1.133
    open_position(outsider, "WETH", "40", "USDC", "30000")  # hf 3.2, stays healthy
    market.set_price("WBTC", "48000")  # borrower 0.9, second 0.878
    market.set_price("WETH", "3600")  # third 0.944 (its debt grew); outsider 3.84
    return [borrower, second_borrower, third_borrower, outsider]


@pytest.fixture
def stocked_keeper(market, keeper_account):
    """The keeper's inventory: plenty of USDC and WETH (minted, not approved: the keeper approves itself)."""
    market["USDC"].token.mint(keeper_account, market["USDC"].units("1000000"), sender=keeper_account)
    market["WETH"].token.mint(keeper_account, market["WETH"].units("100"), sender=keeper_account)
    return keeper_account


def make_keeper(market, account, *, owner=True, send=True, min_profit=0):
    funding = InventoryFunding(erc20_at, owner=account.address if owner else None, sender=account if send else None)
    return Keeper(market.pool, market.engine, funding, min_profit=min_profit)


def chain_state(market, accounts, keeper_account):
    return (
        keeper_account.nonce,
        [market.health_factor(a) for a in accounts],
        [(market.debt_of(a, s), market.supplied_of(a, s)) for a in accounts for s in market.assets],
        [int(asset.token.balanceOf(keeper_account)) for asset in market.assets.values()],
    )


def test_keeper__price_drop__liquidates_until_every_position_healthy(market, crowd, stocked_keeper):
    unhealthy_before = [a for a in crowd if market.health_factor(a) < WAD]
    assert len(unhealthy_before) == 3

    report = make_keeper(market, stocked_keeper).run(dry_run=False)

    assert report.borrowers_scanned == 4
    assert report.unhealthy_found == 3
    assert not report.failed
    assert {o.opportunity.borrower for o in report.liquidated} == {a.address for a in unhealthy_before}
    assert all(market.health_factor(a) >= WAD for a in crowd)
    assert all(o.gas_used and o.opportunity.profit > 0 for o in report.liquidated)
    # The keeper received collateral worth more than the debt it repaid.
    wbtc = int(market["WBTC"].token.balanceOf(stocked_keeper))
    assert wbtc > 0


def test_keeper__dry_run__plans_and_changes_nothing(market, crowd, stocked_keeper):
    before = chain_state(market, crowd, stocked_keeper)

    report = make_keeper(market, stocked_keeper, send=False).run(dry_run=True)

    assert chain_state(market, crowd, stocked_keeper) == before
    assert [o.status for o in report.outcomes] == ["planned"] * 3
    profits = [o.opportunity.profit for o in report.outcomes]
    assert profits == sorted(profits, reverse=True)  # ranked by estimated profit


def test_keeper__plan__matches_engine_preview(market, crowd, stocked_keeper):
    keeper = make_keeper(market, stocked_keeper, send=False)
    report = keeper.run(dry_run=True)
    for outcome in report.outcomes:
        o = outcome.opportunity
        preview = market.engine.previewLiquidation(o.borrower, o.debt_asset, o.collateral_asset, o.requested_repay)
        assert (o.repay_amount, o.seize_amount, o.protocol_fee_amount) == (
            preview.repayAmount,
            preview.seizeAmount,
            preview.protocolFeeAmount,
        )


def test_keeper__small_inventory__repays_only_what_it_holds(market, crowd, keeper_account):
    market["USDC"].token.mint(keeper_account, market["USDC"].units("1000"), sender=keeper_account)

    report = make_keeper(market, keeper_account).run(dry_run=False, max_rounds=1)

    spent = sum(o.opportunity.repay_amount for o in report.liquidated if o.opportunity.debt_asset == market["USDC"].address)
    assert 0 < spent <= market["USDC"].units("1000")
    assert int(market["USDC"].token.balanceOf(keeper_account)) == market["USDC"].units("1000") - spent


def test_keeper__min_profit_above_all__does_nothing(market, crowd, stocked_keeper):
    before = chain_state(market, crowd, stocked_keeper)
    report = make_keeper(market, stocked_keeper, min_profit=10**9 * WAD).run(dry_run=False)
    assert report.outcomes == []
    assert chain_state(market, crowd, stocked_keeper) == before


def test_keeper__dry_run_without_account__assumes_unlimited_inventory(market, crowd, keeper_account):
    report = make_keeper(market, keeper_account, owner=False, send=False).run(dry_run=True)
    assert {o.opportunity.requested_repay for o in report.outcomes} == {MAX_UINT256}


# -- the script --------------------------------------------------------------------------------------------


def ape_run(*args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    ape = Path(sys.executable).with_name("ape")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run(
        [str(ape), "run", "liquidate", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_script__help__describes_options():
    result = ape_run("--help")
    assert result.returncode == 0, result.stderr
    for option in ("--dry-run", "--account", "--pool", "--engine", "--min-profit"):
        assert option in result.stdout


def test_script__dry_run_against_test_chain__prints_plan_and_sends_nothing(chain, market, crowd, stocked_keeper):
    before = chain_state(market, crowd, stocked_keeper)
    result = ape_run(
        "--network",
        chain.provider.uri,
        "--pool",
        market.pool.address,
        "--engine",
        market.engine.address,
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stdout
    assert "unhealthy: 3" in result.stdout
    assert chain_state(market, crowd, stocked_keeper) == before


def test_script__no_contract_at_pool__one_line_error(chain, market):
    result = ape_run(
        "--network",
        chain.provider.uri,
        "--pool",
        "0x000000000000000000000000000000000000dEaD",
        "--engine",
        market.engine.address,
        "--dry-run",
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "no contract at the pool address" in errors[0]


def test_script__live_run_without_account__one_line_error(chain, market):
    result = ape_run("--network", chain.provider.uri, "--pool", market.pool.address, "--engine", market.engine.address)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "--account" in errors[0]
