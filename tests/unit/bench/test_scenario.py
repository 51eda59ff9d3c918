"""The scenario's sanity checks: an honest protocol gets every figure, a broken one fails the run, by name."""

from __future__ import annotations

import pytest

from strata.bench.adapters.base import WAD, Listing
from strata.bench.errors import SanityCheckError
from strata.bench.scenario import (
    OPERATION_KEYS,
    Actors,
    Amounts,
    Checker,
    GrowthAmounts,
    GrowthRun,
    ScenarioRun,
    whole,
)
from tests.unit.bench.fakes import FakeAccount, FakeChain, FakeLending, FakeToken

FUNDS = whole(10_000_000)


@pytest.fixture
def fake_chain():
    return FakeChain()


@pytest.fixture
def loan_token():
    return FakeToken("bUSD")


@pytest.fixture
def collateral_token():
    return FakeToken("bETH")


@pytest.fixture
def actors(loan_token, collateral_token):
    roles = Actors(
        supplier=FakeAccount("supplier"),
        new_supplier=FakeAccount("new_supplier"),
        borrower=FakeAccount("borrower"),
        risky_borrower=FakeAccount("risky_borrower"),
        liquidator=FakeAccount("liquidator"),
        flash_caller=FakeAccount("flash_caller"),
    )
    for account in roles.all():
        loan_token.balances[account.address] = FUNDS
        collateral_token.balances[account.address] = FUNDS
    return roles


@pytest.fixture
def make_protocol(fake_chain, loan_token, collateral_token):
    def make(broken: str = "") -> FakeLending:
        amounts = Amounts()
        prices = {loan_token.address: amounts.loan_price, collateral_token.address: amounts.collateral_price}
        protocol = FakeLending(fake_chain, loan_token, prices, broken=broken)
        loan_token.balances[protocol.receiver] = whole(100)  # pays the flash fee
        return protocol

    return make


def run_scenario(protocol, fake_chain, loan_token, collateral_token, actors):
    return ScenarioRun(protocol, fake_chain, loan_token, collateral_token, actors).run()


def test_scenario__honest_protocol__measures_every_operation(
    make_protocol, fake_chain, loan_token, collateral_token, actors
):
    gas = run_scenario(make_protocol(), fake_chain, loan_token, collateral_token, actors)

    assert list(gas) == list(OPERATION_KEYS)
    assert gas["liquidate_half"] == 150_000


@pytest.mark.parametrize(
    "broken, operation",
    [
        ("supply_no_credit", "supply_first"),
        ("repay_full_leaves_dust", "repay_full"),
        ("price_ignored", "liquidate_half"),
        ("liquidate_no_seize", "liquidate_half"),
        ("flash_no_repay", "flash_loan_1000"),
    ],
)
def test_scenario__broken_protocol__fails_naming_the_operation(
    make_protocol, fake_chain, loan_token, collateral_token, actors, broken, operation
):
    with pytest.raises(SanityCheckError) as info:
        run_scenario(make_protocol(broken), fake_chain, loan_token, collateral_token, actors)

    assert info.value.protocol == "Fake"
    assert info.value.operation == operation
    assert operation in str(info.value)


def test_scenario__no_interest_over_a_day__fails_borrow_repeat(
    make_protocol, fake_chain, loan_token, collateral_token, actors
):
    protocol = make_protocol()
    protocol.accrue = lambda seconds: None  # time passes but debt never grows

    with pytest.raises(SanityCheckError) as info:
        run_scenario(protocol, fake_chain, loan_token, collateral_token, actors)

    assert info.value.operation == "borrow_repeat"


def test_growth__honest_protocol__measures_borrow_and_liquidation(
    make_protocol, fake_chain, loan_token, collateral_token, actors
):
    protocol = make_protocol()
    extras = [FakeToken(f"bC{i:02d}") for i in range(1, 4)]
    for token in extras:
        token.balances[actors.borrower.address] = FUNDS
        protocol.list_collateral(Listing(token, 10 * WAD, collateral=True))

    gas = GrowthRun(protocol, fake_chain, loan_token, collateral_token, extras, actors, GrowthAmounts()).run(4)

    assert gas == {"borrow": 120_000, "liquidate": 150_000}
    assert all(protocol.collateral(actors.borrower, token) == whole(1) for token in extras)


def test_growth__more_assets_than_listed__raises(make_protocol, fake_chain, loan_token, collateral_token, actors):
    run = GrowthRun(make_protocol(), fake_chain, loan_token, collateral_token, [], actors)

    with pytest.raises(ValueError):
        run.run(2)


def test_checker_close__within_relative_tolerance__passes_and_outside__raises():
    check = Checker("P", "op")
    check.close(10_009, 10_000, "x", rel_bps=10)  # 0.09%

    with pytest.raises(SanityCheckError, match="x is 10011, expected 10000 ± 10"):
        check.close(10_011, 10_000, "x", rel_bps=10)


def test_checker_gas__plain_transfer_receipt__raises():
    class Receipt:
        gas_used = 21_000

    with pytest.raises(SanityCheckError, match="not that of a contract call"):
        Checker("P", "op").gas(Receipt())
