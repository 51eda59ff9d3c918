"""FlashLoanModule as an ERC-3156 lender: a standard borrower, exact fees, limits, switches and pauses."""

import ape
import pytest
from eth_abi import decode

from tests.unit.flashloan.flash_env import (
    reverts_with,
    ACTION_FLASH,
    DEFAULT_FEE_BPS,
    FixedTime,
    expected_fee,
    fund,
)

SYMBOLS = ("USDC", "WBTC", "WETH")


@pytest.fixture
def token_by_symbol(flash_env):
    return lambda symbol: flash_env.tokens[symbol]


def decode_reserve_data(pool, raw: bytes) -> dict:
    output = pool.getReserveData.abis[0].outputs[0]
    (values,) = decode([output.canonical_type], bytes(raw))
    return dict(zip([component.name for component in output.components], values))


# ---- the standard path ----


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_flash_loan__standard_borrower__repays_fee_into_protocol_reserves(
    chain, flash_env, flash_module, plain_borrower, governance, flash_borrower, token_by_symbol, symbol
):
    token = token_by_symbol(symbol)
    amount = 1_000 * 10 ** token.decimals()
    fee = expected_fee(amount, DEFAULT_FEE_BPS)
    fund(token, plain_borrower, 1, governance)
    held = token.balanceOf(plain_borrower)
    assert flash_module.flashFee(token, amount) == fee

    pinned = FixedTime(chain, flash_env)
    receipt = plain_borrower.flashBorrow(token, amount, b"strata", sender=flash_borrower)
    diff = pinned.diff()

    # What the borrower saw: the standard callback arguments, and the loan in its balance.
    assert plain_borrower.lastInitiator() == plain_borrower.address
    assert plain_borrower.lastToken() == token.address
    assert plain_borrower.lastAmount() == amount
    assert plain_borrower.lastFee() == fee
    assert plain_borrower.lastData() == b"strata"
    assert plain_borrower.balanceDuringLoan() == held + amount
    assert token.balanceOf(plain_borrower) == held - fee

    # The pool gained exactly the fee, as cash and protocol reserves; nothing else of this reserve moved
    # except the stored rate, which follows the extra cash.
    ref, act = pinned.reference[symbol], pinned.actual[symbol]
    assert act["poolBalance"] == ref["poolBalance"] + fee
    assert act["cash"] == ref["cash"] + fee
    assert act["availableLiquidity"] == ref["availableLiquidity"] + fee
    assert act["protocolReserves"] == ref["protocolReserves"] + fee
    for key in ("totalSupplied", "totalBorrowed", "liquidityIndex", "borrowIndex", "totalSupplyShares",
                "totalDebtShares"):
        assert act[key] == ref[key], key
    assert act["moduleBalance"] == 0
    assert all(s == symbol for s, _ in diff), diff  # other reserves untouched

    logs = receipt.decode_logs(flash_module.FlashLoanExecuted)
    assert len(logs) == 1
    assert (logs[0].receiver, logs[0].initiator, logs[0].token, logs[0].amount, logs[0].fee) == (
        plain_borrower.address, plain_borrower.address, token.address, amount, fee)


def test_flash_loan__eoa_initiator__returns_true_and_passes_caller_as_initiator(
    project, flash_module, usdc, governance, flash_borrower
):
    receiver = governance.deploy(project.MinimalFlashBorrowerMock, True)
    fund(usdc, receiver, 10, governance)
    assert flash_module.flashLoan.call(receiver, usdc, 10**6, b"", sender=flash_borrower) is True
    receipt = flash_module.flashLoan(receiver, usdc, 10**6, b"", sender=flash_borrower)
    assert receipt.decode_logs(flash_module.FlashLoanExecuted)[0].initiator == flash_borrower.address


def test_flash_loan__someone_elses_standard_borrower__refused_by_its_initiator_check(
    flash_module, plain_borrower, usdc, governance, attacker
):
    fund(usdc, plain_borrower, 10, governance)
    with reverts_with(plain_borrower.FlashBorrowerMockUntrustedInitiator, initiator=attacker.address):
        flash_module.flashLoan(plain_borrower, usdc, 10**6, b"", sender=attacker)


def test_flash_loan__module__never_holds_funds(project, flash_module, plain_borrower, usdc, governance, flash_borrower):
    fund(usdc, plain_borrower, 10, governance)
    plain_borrower.setProbe(usdc, usdc.balanceOf.encode_input(flash_module), sender=governance)
    plain_borrower.flashBorrow(usdc, 10**9, b"", sender=flash_borrower)
    assert int.from_bytes(bytes(plain_borrower.probeResult()), "big") == 0
    assert usdc.balanceOf(flash_module) == 0


# ---- fees, exact to the wei ----


@pytest.mark.parametrize("symbol", SYMBOLS)
@pytest.mark.parametrize("fee_bps", [0, 1, 9, 100])
def test_flash_fee__any_decimals__rounds_up_exactly(flash_module, governance, token_by_symbol, symbol, fee_bps):
    token = token_by_symbol(symbol)
    flash_module.setFlashFee(token, fee_bps, sender=governance)
    one = 10 ** token.decimals()
    # Around 2**128 the module switches from the cheap product to the 512-bit mulDiv: both must agree.
    for amount in (0, 1, 9_999, 10_000, 10_001, 123_456_789, one, 1_000 * one + 1, 10**30,
                   2**128 - 1, 2**128, 2**128 + 1, 2**200 + 12_345, 2**256 - 1):
        assert flash_module.flashFee(token, amount) == expected_fee(amount, fee_bps), amount


@pytest.mark.parametrize("symbol", SYMBOLS)
@pytest.mark.parametrize("amount_units", [1, 10_001, 123_456_789])
def test_flash_loan__odd_amounts__charges_rounded_up_fee_to_the_wei(
    chain, flash_env, flash_module, plain_borrower, governance, flash_borrower, token_by_symbol, symbol, amount_units
):
    token = token_by_symbol(symbol)
    flash_module.setFlashFee(token, 7, sender=governance)
    amount = amount_units
    fee = expected_fee(amount, 7)
    assert fee >= 1  # a non-zero fee never rounds to zero
    fund(token, plain_borrower, 1, governance)
    held = token.balanceOf(plain_borrower)

    pinned = FixedTime(chain, flash_env)
    plain_borrower.flashBorrow(token, amount, b"", sender=flash_borrower)
    pinned.read()

    assert plain_borrower.lastFee() == fee
    assert token.balanceOf(plain_borrower) == held - fee
    ref, act = pinned.reference[symbol], pinned.actual[symbol]
    assert act["protocolReserves"] - ref["protocolReserves"] == fee
    assert act["poolBalance"] - ref["poolBalance"] == fee


def test_flash_loan__zero_fee__pool_unchanged(chain, flash_env, flash_module, plain_borrower, governance,
                                             flash_borrower, weth):
    flash_module.setFlashFee(weth, 0, sender=governance)
    held = weth.balanceOf(plain_borrower)
    pinned = FixedTime(chain, flash_env)
    plain_borrower.flashBorrow(weth, 5_000 * 10**18, b"", sender=flash_borrower)
    # Only the pool's record of when it last accrued may move; every amount, index and rate is the same.
    assert {key for _, key in pinned.diff()} <= {"lastUpdate"}
    assert weth.balanceOf(plain_borrower) == held


# ---- limits ----


def test_flash_loan__zero_amount__reverts(flash_module, pool, plain_borrower, flash_borrower, usdc):
    with reverts_with(pool.LendingPoolZeroAmount):
        plain_borrower.flashBorrow(usdc, 0, b"", sender=flash_borrower)


def test_max_flash_loan__listed_reserve__equals_pool_available_liquidity(flash_module, pool, tokens):
    for token in tokens:
        available = pool.availableLiquidity(token)
        assert available > 0
        assert flash_module.maxFlashLoan(token) == available
        assert available == pool.getReserveData(token).availableLiquidity


def test_flash_loan__whole_available_liquidity__succeeds(flash_module, pool, plain_borrower, governance,
                                                        flash_borrower, wbtc):
    amount = flash_module.maxFlashLoan(wbtc)
    wbtc.mint(plain_borrower, flash_module.flashFee(wbtc, amount), sender=governance)
    plain_borrower.flashBorrow(wbtc, amount, b"", sender=flash_borrower)
    assert plain_borrower.lastAmount() == amount
    assert plain_borrower.balanceDuringLoan() >= amount


def test_flash_loan__above_available_liquidity__reverts(flash_module, pool, plain_borrower, governance,
                                                       flash_borrower, wbtc):
    amount = flash_module.maxFlashLoan(wbtc) + 1
    fund(wbtc, plain_borrower, 100, governance)
    with reverts_with(pool.LendingPoolFlashLoanTooLarge, asset=wbtc.address, requested=amount):
        plain_borrower.flashBorrow(wbtc, amount, b"", sender=flash_borrower)


def test_flash_loan__unlisted_token__unsupported(project, flash_module, pool, plain_borrower, governance,
                                                flash_borrower):
    stray = governance.deploy(project.MockERC20, "Stray", "STRAY", 18)
    stray.mint(pool, 10**24, sender=governance)  # a donation is not liquidity
    assert flash_module.maxFlashLoan(stray) == 0
    with reverts_with(flash_module.FlashLoanUnsupportedToken, token=stray.address):
        flash_module.flashFee(stray, 10**18)
    with reverts_with(pool.LendingPoolReserveNotListed, asset=stray.address):
        plain_borrower.flashBorrow(stray, 10**18, b"", sender=flash_borrower)
    assert stray.balanceOf(plain_borrower) == 0


# ---- switches and pauses: maxFlashLoan 0, flashFee and flashLoan revert ----


def test_flash_loan__disabled_by_governance__unsupported(flash_module, plain_borrower, governance, flash_borrower,
                                                        usdc, weth):
    flash_module.setFlashLoanEnabled(usdc, False, sender=governance)
    assert flash_module.maxFlashLoan(usdc) == 0
    with reverts_with(flash_module.FlashLoanUnsupportedToken, token=usdc.address):
        flash_module.flashFee(usdc, 10**6)
    with reverts_with(flash_module.FlashLoanUnsupportedToken, token=usdc.address):
        plain_borrower.flashBorrow(usdc, 10**6, b"", sender=flash_borrower)
    # Other reserves keep working.
    fund(weth, plain_borrower, 1, governance)
    plain_borrower.flashBorrow(weth, 10**18, b"", sender=flash_borrower)


def test_flash_loan__module_paused__unsupported(flash_module, plain_borrower, guardian, flash_borrower, usdc):
    flash_module.pauseModule(sender=guardian)
    assert flash_module.maxFlashLoan(usdc) == 0
    with reverts_with(flash_module.FlashLoanUnsupportedToken, token=usdc.address):
        flash_module.flashFee(usdc, 10**6)
    with reverts_with(flash_module.StrataModulePaused):
        plain_borrower.flashBorrow(usdc, 10**6, b"", sender=flash_borrower)


def test_flash_loan__pool_flash_action_paused__unsupported(flash_module, pool, plain_borrower, guardian,
                                                          governance, flash_borrower, usdc):
    pool.pauseAction(usdc, ACTION_FLASH, sender=guardian)
    assert not pool.isFlashLoanAllowed(usdc)
    assert flash_module.maxFlashLoan(usdc) == 0
    with reverts_with(flash_module.FlashLoanUnsupportedToken, token=usdc.address):
        flash_module.flashFee(usdc, 10**6)
    with reverts_with(pool.LendingPoolActionPaused, asset=usdc.address, action=ACTION_FLASH):
        plain_borrower.flashBorrow(usdc, 10**6, b"", sender=flash_borrower)

    pool.unpauseAction(usdc, ACTION_FLASH, sender=governance)
    fund(usdc, plain_borrower, 1, governance)
    plain_borrower.flashBorrow(usdc, 10**6, b"", sender=flash_borrower)


def test_flash_loan__pool_paused__unsupported(flash_module, pool, plain_borrower, guardian, flash_borrower, usdc):
    pool.pauseModule(sender=guardian)
    assert flash_module.maxFlashLoan(usdc) == 0
    with reverts_with(flash_module.FlashLoanUnsupportedToken, token=usdc.address):
        flash_module.flashFee(usdc, 10**6)
    with reverts_with(pool.StrataModulePaused):
        plain_borrower.flashBorrow(usdc, 10**6, b"", sender=flash_borrower)


# ---- interest rates and indices see no liquidity drop ----


@pytest.mark.parametrize("fee_bps", [0, DEFAULT_FEE_BPS])
def test_flash_loan__during_and_after__rates_and_indices_undistorted(
    chain, flash_env, flash_module, pool, plain_borrower, governance, flash_borrower, usdc, fee_bps
):
    flash_module.setFlashFee(usdc, fee_bps, sender=governance)
    amount = pool.availableLiquidity(usdc)  # borrow it all: the largest possible distortion
    fund(usdc, plain_borrower, 1_000, governance)
    plain_borrower.setProbe(pool, pool.getReserveData.encode_input(usdc), sender=governance)

    pinned = FixedTime(chain, flash_env)
    plain_borrower.flashBorrow(usdc, amount, b"", sender=flash_borrower)
    pinned.read()
    ref = pinned.reference["USDC"]
    during = decode_reserve_data(pool, plain_borrower.probeResult())
    after = pinned.actual["USDC"]

    # During the loan: only the liquidity one could borrow or withdraw is down; the rate, the utilisation and
    # the indices are those of a pool that never lent anything.
    assert during["availableLiquidity"] == ref["availableLiquidity"] - amount
    for key in ("borrowRate", "utilization", "liquidityIndex", "borrowIndex", "cash", "totalSupplied",
                "totalBorrowed", "protocolReserves"):
        assert during[key] == ref[key], key

    # After: the same pool plus the fee as cash; the stored rate is the one any operation at this time would
    # store (the curve at the real cash, lent amount included, and the accrued debt), not the curve at the
    # depleted cash it would be if the loan counted as a liquidity drop.
    fee = expected_fee(amount, fee_bps)
    assert after["cash"] == ref["cash"] + fee
    assert after["liquidityIndex"] == ref["liquidityIndex"]
    assert after["borrowIndex"] == ref["borrowIndex"]
    assert after["totalBorrowed"] == ref["totalBorrowed"]
    assert after["utilization"] <= ref["utilization"]
    if fee == 0:
        assert after["utilization"] == ref["utilization"]
    model, cap = flash_env.rate_model, pool.MAX_BORROW_RATE()
    undistorted = min(model.getBorrowRate(ref["cash"] + fee, ref["totalBorrowed"]), cap)
    distorted = min(model.getBorrowRate(ref["cash"] - amount + fee, ref["totalBorrowed"]), cap)
    # The pool may re-rate on settlement (then at the undistorted rate) or leave the stored rate for the next
    # touch (then unchanged); never at the depleted-cash rate.
    assert after["borrowRate"] in (undistorted, ref["borrowRate"])
    assert distorted > max(undistorted, ref["borrowRate"])  # the check above would catch a liquidity drop
