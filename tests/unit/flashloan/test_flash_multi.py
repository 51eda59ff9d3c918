"""FlashLoanModule.flashLoanMulti: several reserves in one callback, each repaid with its own fee."""

import ape
import pytest

from tests.unit.flashloan.flash_env import DEFAULT_FEE_BPS, FixedTime, expected_fee, fund, reverts_with


@pytest.fixture
def basket(flash_env, flash_module, governance, multi_borrower):
    """USDC at its own 5 bps, WBTC free, WETH at the default fee; the borrower funded for the fees."""
    flash_module.setFlashFee(flash_env.usdc, 5, sender=governance)
    flash_module.setFlashFee(flash_env.wbtc, 0, sender=governance)
    tokens = [flash_env.usdc, flash_env.wbtc, flash_env.weth]
    amounts = [250_000 * 10**6 + 3, 7 * 10**8 + 1, 1_234 * 10**18 + 5]
    fees = [expected_fee(amounts[0], 5), 0, expected_fee(amounts[2], DEFAULT_FEE_BPS)]
    for token in tokens:
        fund(token, multi_borrower, 1_000, governance)
    return tokens, amounts, fees


def test_flash_loan_multi__three_reserves__each_repaid_with_its_fee(
    chain, flash_env, flash_module, multi_borrower, flash_borrower, basket
):
    tokens, amounts, fees = basket
    held = [token.balanceOf(multi_borrower) for token in tokens]

    pinned = FixedTime(chain, flash_env)
    receipt = multi_borrower.flashBorrowMulti(tokens, amounts, b"", sender=flash_borrower)
    pinned.read()

    seen_tokens, seen_amounts, seen_fees, seen_balances = multi_borrower.lastLoan()
    assert list(seen_tokens) == [token.address for token in tokens]
    assert list(seen_amounts) == amounts
    assert list(seen_fees) == fees
    assert list(seen_balances) == [h + a for h, a in zip(held, amounts)]

    for token, symbol, h, fee in zip(tokens, ("USDC", "WBTC", "WETH"), held, fees):
        assert token.balanceOf(multi_borrower) == h - fee
        ref, act = pinned.reference[symbol], pinned.actual[symbol]
        assert act["protocolReserves"] - ref["protocolReserves"] == fee
        assert act["cash"] - ref["cash"] == fee
        assert act["poolBalance"] - ref["poolBalance"] == fee
        assert act["liquidityIndex"] == ref["liquidityIndex"] and act["borrowIndex"] == ref["borrowIndex"]
        assert act["moduleBalance"] == 0

    logs = receipt.decode_logs(flash_module.FlashLoanExecuted)
    assert [(log.token, log.amount, log.fee) for log in logs] == [
        (token.address, amount, fee) for token, amount, fee in zip(tokens, amounts, fees)
    ]
    assert {log.initiator for log in logs} == {multi_borrower.address}


def test_flash_loan_multi__single_reserve__works(flash_module, multi_borrower, flash_borrower, basket):
    tokens, amounts, fees = basket
    multi_borrower.flashBorrowMulti(tokens[:1], amounts[:1], b"", sender=flash_borrower)
    assert list(multi_borrower.lastLoan()[2]) == fees[:1]


def test_flash_loan_multi__duplicate_token__reverts(flash_module, multi_borrower, flash_borrower, basket):
    tokens, amounts, _ = basket
    duplicated = [tokens[0], tokens[1], tokens[0]]
    with reverts_with(flash_module.FlashLoanDuplicateToken, token=tokens[0].address):
        multi_borrower.flashBorrowMulti(duplicated, amounts, b"", sender=flash_borrower)
    with reverts_with(flash_module.FlashLoanDuplicateToken, token=tokens[2].address):
        multi_borrower.flashBorrowMulti([tokens[2], tokens[2]], [1, 1], b"", sender=flash_borrower)


@pytest.mark.parametrize("n_tokens,n_amounts", [(0, 0), (2, 3), (3, 2)])
def test_flash_loan_multi__bad_lengths__reverts(flash_module, multi_borrower, flash_borrower, basket, n_tokens,
                                               n_amounts):
    tokens, amounts, _ = basket
    with reverts_with(flash_module.FlashLoanInvalidBatch, tokensLength=n_tokens, amountsLength=n_amounts):
        multi_borrower.flashBorrowMulti(tokens[:n_tokens], (amounts + [1])[:n_amounts], b"", sender=flash_borrower)


def test_flash_loan_multi__one_reserve_disabled__reverts(flash_module, multi_borrower, governance, flash_borrower,
                                                        basket):
    tokens, amounts, _ = basket
    flash_module.setFlashLoanEnabled(tokens[1], False, sender=governance)
    with reverts_with(flash_module.FlashLoanUnsupportedToken, token=tokens[1].address):
        multi_borrower.flashBorrowMulti(tokens, amounts, b"", sender=flash_borrower)


def test_flash_loan_multi__module_paused__reverts(flash_module, multi_borrower, guardian, flash_borrower, basket):
    tokens, amounts, _ = basket
    flash_module.pauseModule(sender=guardian)
    with reverts_with(flash_module.StrataModulePaused):
        multi_borrower.flashBorrowMulti(tokens, amounts, b"", sender=flash_borrower)


def test_flash_loan_multi__one_amount_above_liquidity__reverts(flash_module, pool, multi_borrower, flash_borrower,
                                                              basket):
    tokens, amounts, _ = basket
    amounts = list(amounts)
    amounts[2] = pool.availableLiquidity(tokens[2]) + 1
    with reverts_with(pool.LendingPoolFlashLoanTooLarge, asset=tokens[2].address):
        multi_borrower.flashBorrowMulti(tokens, amounts, b"", sender=flash_borrower)


def test_flash_loan_multi__someone_elses_receiver__refused_by_its_initiator_check(
    flash_module, multi_borrower, attacker, basket
):
    tokens, amounts, _ = basket
    with reverts_with(multi_borrower.MultiFlashBorrowerMockUntrustedInitiator, initiator=attacker.address):
        flash_module.flashLoanMulti(multi_borrower, tokens, amounts, b"", sender=attacker)
