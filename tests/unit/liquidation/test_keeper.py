"""The liquidation keeper (strata/keeper.py) and its script (scripts/liquidate.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from strata.keeper import WAD, FlashFunding, InventoryFunding, Keeper, erc20_at
from tests.unit.liquidation.conftest import FLASH_FEE_BPS
from tests.unit.liquidation.market import MAX_UINT256
from tests.unit.liquidation.model import ceil_div

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


# -- flash-funded (--flash) ---------------------------------------------------------------------------------


@pytest.fixture
def flash_crowd(market, open_position, same_asset_position, borrower, second_borrower, third_borrower, outsider):
    """Two same-asset positions (WETH debt, WETH + WBTC collateral), one USDC debt against WBTC and one healthy
    position; a WBTC drop to $45,000 leaves the first three unhealthy (0.973, 0.973, 0.823)."""
    same_asset_position(borrower)
    same_asset_position(second_borrower, "0.5")
    open_position(third_borrower, "WBTC", "1", "USDC", "41000")
    open_position(outsider, "WETH", "40", "USDC", "30000")
    market.set_price("WBTC", "45000")
    return [borrower, second_borrower, third_borrower, outsider]


def make_flash_keeper(market, flash_module, executor, account, *, owner=True, send=True, min_profit=0):
    funding = FlashFunding(
        flash_module, executor, erc20_at, owner=account.address if owner else None, sender=account if send else None
    )
    return Keeper(market.pool, market.engine, funding, min_profit=min_profit)


def flash_state(market, accounts, keeper_account, executor):
    return (
        chain_state(market, accounts, keeper_account),
        [int(asset.token.balanceOf(executor)) for asset in market.assets.values()],
        [int(asset.token.allowance(keeper_account, executor)) for asset in market.assets.values()],
    )


def test_keeper_flash__price_drop__liquidates_all_and_every_position_healthy(
    market, flash_module, flash_liquidator, flash_crowd, keeper_account
):
    """The keeper holds USDC but no WETH: the same-asset positions are repaid by their own seizure (the WETH/WBTC
    pair, which pays a larger bonus but needs WETH inventory, is passed over), the USDC one from the wallet
    through the executor's exact allowance. Each token's balance moves by exactly the planned amounts."""
    usdc, weth, wbtc = market["USDC"], market["WETH"], market["WBTC"]
    usdc.token.mint(keeper_account, usdc.units("100000"), sender=keeper_account)
    unhealthy_before = [a for a in flash_crowd if market.health_factor(a) < WAD]
    assert len(unhealthy_before) == 3
    wallet_before = {s: int(a.token.balanceOf(keeper_account)) for s, a in market.assets.items()}

    report = make_flash_keeper(market, flash_module, flash_liquidator, keeper_account).run(dry_run=False)

    assert report.unhealthy_found == 3
    assert not report.failed and not [o for o in report.outcomes if o.status == "skipped"]
    assert {o.opportunity.borrower for o in report.liquidated} == {a.address for a in unhealthy_before}
    assert all(market.health_factor(a) >= WAD for a in flash_crowd)
    for outcome in report.liquidated:
        o = outcome.opportunity
        assert o.funding_fee == ceil_div(o.repay_amount * FLASH_FEE_BPS, 10_000) > 0
        assert o.profit == o.gross_profit - o.funding_fee_value > 0
        assert (o.debt_asset, o.collateral_asset) in {(weth.address, weth.address), (usdc.address, wbtc.address)}
    # Profit accounting, to the wei: WETH grows by the net of each same-asset liquidation; USDC pays repay + fee
    # of the cross-asset one and WBTC receives its collateral; the executor keeps nothing.
    expected = {symbol: 0 for symbol in market.assets}
    for outcome in report.liquidated:
        o = outcome.opportunity
        expected[_symbol(market, o.collateral_asset)] += o.received_amount
        expected[_symbol(market, o.debt_asset)] -= o.repay_amount + o.funding_fee
    wallet_after = {s: int(a.token.balanceOf(keeper_account)) for s, a in market.assets.items()}
    assert {s: wallet_after[s] - wallet_before[s] for s in market.assets} == expected
    assert expected["WETH"] > 0 and expected["WBTC"] > 0
    assert [int(a.token.balanceOf(flash_liquidator)) for a in market.assets.values()] == [0, 0, 0]


def _symbol(market, address):
    return next(s for s, a in market.assets.items() if a.address == address)


def test_keeper_flash__dry_run__plans_and_changes_nothing(
    market, flash_module, flash_liquidator, flash_crowd, keeper_account
):
    market["USDC"].token.mint(keeper_account, market["USDC"].units("100000"), sender=keeper_account)
    before = flash_state(market, flash_crowd, keeper_account, flash_liquidator)

    report = make_flash_keeper(market, flash_module, flash_liquidator, keeper_account, send=False).run(dry_run=True)

    assert flash_state(market, flash_crowd, keeper_account, flash_liquidator) == before
    assert [o.status for o in report.outcomes] == ["planned"] * 3
    assert all(o.opportunity.funding_fee > 0 for o in report.outcomes)


def test_keeper_flash__no_inventory_for_other_asset__skipped_with_reason(
    market, flash_module, flash_liquidator, flash_crowd, keeper_account, third_borrower
):
    """Without USDC the executor could not repay a USDC loan that buys WBTC: skipped, in the table, untouched."""
    debt_before = market.debt_of(third_borrower, "USDC")

    report = make_flash_keeper(market, flash_module, flash_liquidator, keeper_account).run(dry_run=False)

    skipped = [o for o in report.outcomes if o.status == "skipped"]
    assert [o.opportunity.borrower for o in skipped] == [third_borrower.address]
    assert "cannot repay the flash loan + fee" in skipped[0].detail
    assert market.debt_of(third_borrower, "USDC") == debt_before
    assert len(report.liquidated) == 2 and not report.failed


def test_keeper_flash__small_inventory_for_other_asset__repays_what_inventory_covers(
    market, flash_module, flash_liquidator, flash_crowd, keeper_account, third_borrower
):
    usdc = market["USDC"]
    usdc.token.mint(keeper_account, usdc.units("1000"), sender=keeper_account)

    report = make_flash_keeper(market, flash_module, flash_liquidator, keeper_account).run(dry_run=False, max_rounds=1)

    [cross] = [o for o in report.liquidated if o.opportunity.borrower == third_borrower.address]
    spent = cross.opportunity.repay_amount + cross.opportunity.funding_fee
    assert usdc.units("999") < spent <= usdc.units("1000")
    assert int(usdc.token.balanceOf(keeper_account)) == usdc.units("1000") - spent


def test_keeper_flash__fee_takes_profit_below_minimum__skipped_with_reason(
    market, flash_module, flash_liquidator, same_asset_position, borrower, keeper_account
):
    """A minimum profit between the profit before and after the flash fee: the keeper must count the fee."""
    same_asset_position(borrower)
    market.set_price("WBTC", "45000")
    probe = make_flash_keeper(market, flash_module, flash_liquidator, keeper_account, send=False)
    [planned] = probe.run(dry_run=True).outcomes
    o = planned.opportunity
    assert o.funding_fee_value > 0
    threshold = (o.gross_profit + o.profit) // 2
    state_before = market.debt_of(borrower, "WETH")

    report = make_flash_keeper(market, flash_module, flash_liquidator, keeper_account, min_profit=threshold).run(
        dry_run=False
    )

    assert [(x.status, x.opportunity.borrower) for x in report.outcomes] == [("skipped", borrower.address)]
    assert "unprofitable after the flash loan fee" in report.outcomes[0].detail
    assert market.debt_of(borrower, "WETH") == state_before


def test_ensure_flash_liquidator__record__deployed_once_then_reused(
    tmp_path, chain, project, market, flash_module, keeper_account
):
    from strata.deployer import Deployer, chain_identity, open_record
    from strata.keeper import ensure_flash_liquidator, flash_liquidator_name
    from strata.records import load_record

    record_file = tmp_path / "record.json"
    record = open_record(chain_identity(chain, chain.provider), record_file)
    deployer = Deployer(project, chain, keeper_account, record, record_file)

    executor = ensure_flash_liquidator(deployer, flash_module.address, market.engine.address)
    nonce = keeper_account.nonce
    again = ensure_flash_liquidator(
        Deployer(project, chain, keeper_account, load_record(record_file), record_file),
        flash_module.address,
        market.engine.address,
    )

    assert again.address == executor.address and keeper_account.nonce == nonce
    entry = load_record(record_file).require(flash_liquidator_name(keeper_account.address))
    assert (entry.contract, entry.address, entry.module_id, entry.implementation) == (
        "FlashLiquidator",
        executor.address,
        None,
        None,
    )
    assert executor.owner() == keeper_account.address and executor.lender() == flash_module.address
    # Wired to another engine (a redeployed protocol): replaced, and the record follows.
    replaced = ensure_flash_liquidator(deployer, flash_module.address, flash_module.address)
    assert replaced.address != executor.address
    assert load_record(record_file).require(flash_liquidator_name(keeper_account.address)).address == replaced.address


def test_keeper_executors_table__recorded_executor__shown_with_its_keeper(
    tmp_path, chain, project, market, flash_module, keeper_account
):
    """What `ape run status` adds below the modules: each recorded FlashLiquidator, its keeper, its code."""
    from rich.console import Console

    from strata.deployer import Deployer, chain_identity, open_record
    from strata.keeper import ensure_flash_liquidator
    from strata.records import load_record
    from strata.views import keeper_executors_table

    record_file = tmp_path / "record.json"
    record = open_record(chain_identity(chain, chain.provider), record_file)
    assert keeper_executors_table(record, chain.provider) is None

    executor = ensure_flash_liquidator(
        Deployer(project, chain, keeper_account, record, record_file), flash_module.address, market.engine.address
    )
    def rendered(provider) -> str:
        console = Console(record=True, width=200)
        console.print(keeper_executors_table(load_record(record_file), provider))
        return console.export_text()

    rows = [line for line in rendered(chain.provider).splitlines() if executor.address in line]
    assert len(rows) == 1 and keeper_account.address in rows[0] and rows[0].rstrip(" │").endswith("yes")

    # The record outlived its chain (a restarted devchain): the row says the code is gone.
    assert "no code (chain reset?)" in rendered(SimpleNamespace(get_code=lambda address: b""))


# -- the script --------------------------------------------------------------------------------------------


def ape_run(*args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    return ape_run_script("liquidate", *args, timeout=timeout)


def ape_run_script(script: str, *args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    ape = Path(sys.executable).with_name("ape")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run(
        [str(ape), "run", script, *args],
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
    for option in ("--dry-run", "--account", "--pool", "--engine", "--min-profit", "--record", "--flash", "--executor"):
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


def write_record(path, chain, market, flash_module=None):
    """A deployment record of this test chain naming the market's pool, engine (and flash-loan module)."""
    from strata.deployer import chain_identity
    from strata.records import ContractEntry, DeploymentRecord, save_record

    identity = chain_identity(chain, chain.provider)
    record = DeploymentRecord(network=identity.network, chain_id=identity.chain_id, genesis_hash=identity.genesis_hash)
    entries = [("LendingPool", market.pool, "LENDING_POOL"), ("LiquidationEngine", market.engine, "LIQUIDATION_ENGINE")]
    if flash_module is not None:
        entries.append(("FlashLoanModule", flash_module, "FLASH_LOAN_MODULE"))
    for name, contract, module_id in entries:
        record.put(ContractEntry(name=name, contract=name, address=contract.address, tx=None, block=None, module_id=module_id))
    save_record(record, path)
    return path


def test_script__flash_dry_run_from_record__prints_plan_and_sends_nothing(
    tmp_path, chain, market, flash_module, flash_crowd, keeper_account
):
    """No --pool/--engine/--flash-module: the record names them. A dry run deploys no executor."""
    record_file = write_record(tmp_path / "record.json", chain, market, flash_module)
    record_bytes = record_file.read_bytes()
    before = chain_state(market, flash_crowd, keeper_account)

    result = ape_run("--network", chain.provider.uri, "--record", str(record_file), "--flash", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stdout and "unhealthy: 3" in result.stdout
    assert "funding: flash loan" in result.stdout
    assert chain_state(market, flash_crowd, keeper_account) == before
    assert record_file.read_bytes() == record_bytes


def test_script__flash_live__deploys_and_records_executor_then_liquidates(
    tmp_path, chain, project, market, flash_module, flash_crowd, keeper_account
):
    from strata.keeper import flash_liquidator_name
    from strata.records import load_record

    record_file = write_record(tmp_path / "record.json", chain, market, flash_module)
    market["USDC"].token.mint(keeper_account, market["USDC"].units("100000"), sender=keeper_account)
    alias = f"TEST::{_test_account_index(keeper_account)}"

    result = ape_run("--network", chain.provider.uri, "--record", str(record_file), "--flash", "--account", alias)

    assert result.returncode == 0, result.stdout + result.stderr
    entry = load_record(record_file).require(flash_liquidator_name(keeper_account.address))
    executor = project.FlashLiquidator.at(entry.address)
    assert executor.owner() == keeper_account.address and executor.lender() == flash_module.address
    assert "liquidated: 3" in result.stdout
    assert all(market.health_factor(a) >= WAD for a in flash_crowd)

    status = ape_run_script("status", "--network", chain.provider.uri, "--record", str(record_file))
    assert status.returncode == 0, status.stderr
    assert "Keeper flash-liquidation executors" in status.stdout and executor.address in status.stdout


def _test_account_index(account) -> int:
    from ape import accounts

    return next(i for i, a in enumerate(accounts.test_accounts) if a.address == account.address)


def test_script__missing_record__one_line_error(tmp_path, chain):
    result = ape_run("--network", chain.provider.uri, "--record", str(tmp_path / "missing.json"), "--dry-run")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "no deployment record" in errors[0]


def test_script__record_of_another_chain__one_line_error(tmp_path, chain, market):
    from strata.records import load_record, save_record

    record_file = write_record(tmp_path / "record.json", chain, market)
    record = load_record(record_file)
    record.genesis_hash = "0x" + "11" * 32
    save_record(record, record_file)

    result = ape_run("--network", chain.provider.uri, "--record", str(record_file), "--dry-run")

    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert result.returncode != 0 and len(errors) == 1 and "another chain" in errors[0]


def test_script__unknown_network__usage_error():
    result = ape_run("--network", "ethereum:nowhere", "--dry-run")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "No network in 'ethereum' named 'nowhere'" in result.stderr


def test_script__executor_of_another_account__one_line_error(
    tmp_path, chain, project, market, flash_module, keeper_account, outsider
):
    record_file = write_record(tmp_path / "record.json", chain, market, flash_module)
    foreign = outsider.deploy(project.FlashLiquidator, flash_module, market.engine, outsider)

    result = ape_run(
        "--network", chain.provider.uri, "--record", str(record_file), "--flash", "--executor", foreign.address,
        "--account", f"TEST::{_test_account_index(keeper_account)}", "--dry-run",
    )

    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert result.returncode != 0 and len(errors) == 1 and f"belongs to {outsider.address}" in errors[0]
