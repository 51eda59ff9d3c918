"""Hostile flash borrowers: each one either reverts, or leaves the pool exactly whole.

"Whole" is checked against a reference read at the same timestamp (``FixedTime``): every reserve's books
(totals, cash, available liquidity, protocol reserves, indices, shares, rate, last accrual), the pool's and the
module's token balances, and the attacker's. Reverting attacks fail in ape's gas estimation, against the very
state they would be mined on; ``test_flash_loan__hostile_borrower_mined__reverts_on_chain`` also mines a few.
"""

import ape
import pytest
from eth_utils import keccak
from web3.exceptions import Web3RPCError

from tests.unit.flashloan.flash_env import DEFAULT_FEE_BPS, FixedTime, expected_fee, fund, reverts_with

FLASH_MAGIC = keccak(text="ERC3156FlashBorrower.onFlashLoan")
MULTI_MAGIC = keccak(text="IMultiFlashBorrower.onMultiFlashLoan")
SYMBOLS = ("USDC", "WBTC", "WETH")


@pytest.fixture
def pinned(chain, flash_env, attacker):
    """Reference state read now at a pinned time; the attack runs at that same time."""
    return lambda: FixedTime(chain, flash_env, extra_accounts=(attacker,))


def assert_untouched(fixed: FixedTime):
    assert fixed.diff() == {}


def assert_whole_with_fee(fixed: FixedTime, fees: dict):
    """Succeeded loans: each reserve gained at least its fee (rounding dust stays with the protocol), suppliers'
    and borrowers' totals and the indices did not move, and no token left the books."""
    fixed.read()
    for symbol in SYMBOLS:
        ref, act = fixed.reference[symbol], fixed.actual[symbol]
        fee = fees.get(symbol, 0)
        assert act["protocolReserves"] >= ref["protocolReserves"] + fee, symbol
        assert act["cash"] >= ref["cash"] + fee, symbol
        assert act["poolBalance"] - act["cash"] == ref["poolBalance"] - ref["cash"], symbol  # nothing off-books
        assert act["liquidityIndex"] == ref["liquidityIndex"] and act["borrowIndex"] == ref["borrowIndex"], symbol
        assert act["moduleBalance"] == 0


# ---- never repays ----


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_flash_loan__borrower_keeps_funds__reverts_pool_untouched(
    project, flash_env, flash_module, attacker, pinned, symbol
):
    token = flash_env.tokens[symbol]
    thief = attacker.deploy(project.NonRepayingFlashBorrowerMock, attacker)
    amount = flash_module.maxFlashLoan(token)
    fee = expected_fee(amount, DEFAULT_FEE_BPS)
    fixed = pinned()
    with reverts_with(token.ERC20InsufficientAllowance, spender=flash_module.address, allowance=0, needed=amount + fee):
        flash_module.flashLoan(thief, token, amount, b"", sender=attacker)
    assert_untouched(fixed)
    assert token.balanceOf(thief) == 0


def test_flash_loan__borrower_approves_but_sends_funds_away__reverts_pool_untouched(
    project, flash_env, flash_module, attacker, pinned, usdc
):
    thief = attacker.deploy(project.NonRepayingFlashBorrowerMock, attacker)
    thief.setMode(thief.RUN(), sender=attacker)
    amount = 100_000 * 10**6
    fixed = pinned()
    with reverts_with(usdc.ERC20InsufficientBalance, sender=thief.address, balance=0):
        flash_module.flashLoan(thief, usdc, amount, b"", sender=attacker)
    assert_untouched(fixed)


@pytest.mark.parametrize("skip_index", [0, 1, 2])
def test_flash_loan_multi__one_token_not_repaid__reverts_pool_untouched(
    project, flash_env, flash_module, governance, attacker, pinned, tokens, skip_index
):
    thief = attacker.deploy(project.NonRepayingFlashBorrowerMock, attacker)
    thief.setSkipIndex(skip_index, sender=attacker)
    for token in tokens:
        fund(token, thief, 100, governance)  # enough to pay the fees of the honestly repaid tokens
    amounts = [10_000 * 10 ** token.decimals() for token in tokens]
    fixed = pinned()
    with reverts_with(tokens[skip_index].ERC20InsufficientAllowance, spender=flash_module.address):
        flash_module.flashLoanMulti(thief, tokens, amounts, b"", sender=attacker)
    assert_untouched(fixed)


@pytest.mark.parametrize("attack", ["keeps_funds", "collateralizes_and_leaves"])
def test_flash_loan__hostile_borrower_mined__reverts_on_chain(
    project, chain, flash_env, flash_module, pool, attacker, pinned, usdc, weth, attack
):
    """The same attacks sent past gas estimation (explicit gas limit, raw RPC so that ape does not replay the
    trace): the transaction is mined, fails, and the pool is untouched."""
    if attack == "keeps_funds":
        receiver = attacker.deploy(project.NonRepayingFlashBorrowerMock, attacker)
        amount = flash_module.maxFlashLoan(usdc)
    else:
        receiver = attacker.deploy(project.CollateralizingFlashBorrowerMock, pool, attacker)
        receiver.configure(weth, 80 * 10**18, receiver.LEAVE(), sender=attacker)
        amount = 400_000 * 10**6
    fixed = pinned()
    web3 = chain.provider.web3
    txn = {
        "from": attacker.address,
        "to": flash_module.address,
        "data": flash_module.flashLoan.encode_input(receiver, usdc, amount, b""),
        "gas": 5_000_000,
    }
    try:
        txn_hash = web3.eth.send_transaction(txn)
    except Web3RPCError as error:
        # A Hardhat node mines the failing transaction but answers with an error that carries its hash.
        txn_hash = error.rpc_response["error"]["data"]["txHash"]
    receipt = web3.eth.wait_for_transaction_receipt(txn_hash)
    assert receipt["status"] == 0
    assert receipt["blockNumber"] == chain.blocks.head.number
    assert_untouched(fixed)
    assert usdc.balanceOf(receiver) == 0 and weth.balanceOf(attacker) == 0


# ---- wrong callback answer ----


@pytest.mark.parametrize("answer", [b"\0" * 32, MULTI_MAGIC, keccak(text="onFlashLoan")])
def test_flash_loan__wrong_return_value__reverts(project, flash_module, governance, attacker, pinned, weth, answer):
    liar = attacker.deploy(project.WrongReturnFlashBorrowerMock)
    liar.setAnswer(answer, sender=attacker)
    fund(weth, liar, 10, governance)
    fixed = pinned()
    with reverts_with(flash_module.FlashLoanCallbackFailed, receiver=liar.address, returned=answer):
        flash_module.flashLoan(liar, weth, 10**18, b"", sender=attacker)
    assert_untouched(fixed)


@pytest.mark.parametrize("answer", [b"\0" * 32, FLASH_MAGIC])
def test_flash_loan_multi__wrong_return_value__reverts(project, flash_module, governance, attacker, pinned, tokens,
                                                      answer):
    liar = attacker.deploy(project.WrongReturnFlashBorrowerMock)
    liar.setAnswer(answer, sender=attacker)
    for token in tokens:
        fund(token, liar, 10, governance)
    fixed = pinned()
    with reverts_with(flash_module.FlashLoanCallbackFailed, receiver=liar.address, returned=answer):
        flash_module.flashLoanMulti(liar, tokens, [10 ** t.decimals() for t in tokens], b"", sender=attacker)
    assert_untouched(fixed)


def test_flash_loan__eoa_receiver__reverts(flash_module, attacker, outsider, pinned, usdc):
    fixed = pinned()
    with reverts_with(None):  # no code to call back: the call's empty return data fails to decode
        flash_module.flashLoan(outsider, usdc, 10**6, b"", sender=attacker)
    assert_untouched(fixed)
    assert usdc.balanceOf(outsider) == 0


# ---- under-approves ----


@pytest.mark.parametrize("fee_bps", [0, DEFAULT_FEE_BPS, 100])
@pytest.mark.parametrize("short", ["one_wei", "whole_fee"])
def test_flash_loan__approves_less_than_amount_plus_fee__reverts(
    project, flash_module, governance, attacker, pinned, wbtc, fee_bps, short
):
    flash_module.setFlashFee(wbtc, fee_bps, sender=governance)
    amount = 3 * 10**8 + 7
    fee = expected_fee(amount, fee_bps)
    shortfall = 1 if short == "one_wei" or fee == 0 else fee
    cheapskate = attacker.deploy(project.UnderApprovingFlashBorrowerMock)
    cheapskate.setShortfall(shortfall, sender=attacker)
    fund(wbtc, cheapskate, 10, governance)
    fixed = pinned()
    with reverts_with(wbtc.ERC20InsufficientAllowance, spender=flash_module.address,
                     allowance=amount + fee - shortfall, needed=amount + fee):
        flash_module.flashLoan(cheapskate, wbtc, amount, b"", sender=attacker)
    assert_untouched(fixed)


# ---- re-entrancy ----


@pytest.fixture
def reentrant(project, attacker, governance, tokens):
    contract = attacker.deploy(project.ReentrantFlashBorrowerMock)
    for token in tokens:
        fund(token, contract, 1_000, governance)
    return contract


def test_flash_loan__reenters_flash_loan__reverts(flash_module, reentrant, attacker, pinned, usdc, weth):
    reentrant.addCall(flash_module, flash_module.flashLoan.encode_input(reentrant, weth, 10**18, b""),
                      sender=attacker)
    fixed = pinned()
    with reverts_with(flash_module.ReentrancyGuardReentrantCall):
        flash_module.flashLoan(reentrant, usdc, 10**9, b"", sender=attacker)
    assert_untouched(fixed)


def test_flash_loan__reenters_flash_loan_multi__reverts(flash_module, reentrant, attacker, pinned, usdc, weth):
    reentrant.addCall(flash_module, flash_module.flashLoanMulti.encode_input(reentrant, [weth], [10**18], b""),
                      sender=attacker)
    fixed = pinned()
    with reverts_with(flash_module.ReentrancyGuardReentrantCall):
        flash_module.flashLoanMulti(reentrant, [usdc], [10**9], b"", sender=attacker)
    assert_untouched(fixed)


@pytest.mark.parametrize("hook", ["lend", "settle"])
def test_flash_loan__calls_pool_hooks_from_callback__reverts(flash_module, pool, reentrant, attacker, pinned, usdc,
                                                            hook):
    if hook == "lend":
        data = pool.flashLoanLend.encode_input(usdc, reentrant, 10**9)
    else:  # settle the loan early, for nothing
        data = pool.flashLoanSettle.encode_input(usdc, 10**9, 0)
    reentrant.addCall(pool, data, sender=attacker)
    fixed = pinned()
    with reverts_with(pool.StrataUnauthorizedModule, caller=reentrant.address):
        flash_module.flashLoan(reentrant, usdc, 10**9, b"", sender=attacker)
    assert_untouched(fixed)


def test_flash_loan__supplies_and_withdraws_in_callback__pool_whole(
    flash_module, pool, reentrant, attacker, pinned, usdc
):
    amount = 200_000 * 10**6
    reentrant.addCall(usdc, usdc.approve.encode_input(pool, amount), sender=attacker)
    reentrant.addCall(pool, pool.supply.encode_input(usdc, amount, reentrant), sender=attacker)
    reentrant.addCall(pool, pool.withdraw.encode_input(usdc, 2**256 - 1, reentrant), sender=attacker)
    held = usdc.balanceOf(reentrant)
    fixed = pinned()
    flash_module.flashLoan(reentrant, usdc, amount, b"", sender=attacker)
    fee = expected_fee(amount, DEFAULT_FEE_BPS)
    assert_whole_with_fee(fixed, {"USDC": fee})
    assert pool.getUserReserve(usdc, reentrant)[0] == 0
    ref, act = fixed.reference["USDC"], fixed.actual["USDC"]
    assert act["totalSupplied"] == ref["totalSupplied"]
    assert act["totalSupplyShares"] == ref["totalSupplyShares"]
    # The attacker paid the fee and at most one wei of rounding, which the protocol keeps.
    lost = held - usdc.balanceOf(reentrant)
    assert fee <= lost <= fee + 1
    assert act["protocolReserves"] - ref["protocolReserves"] == lost


def test_flash_loan__borrows_flash_lent_liquidity_in_callback__reverts(
    flash_module, pool, reentrant, attacker, governance, pinned, usdc, weth
):
    # The attacker is a genuine, well-collateralised borrower...
    collateral = 1_000 * 10**18
    reentrant.execute(weth, weth.approve.encode_input(pool, collateral), sender=attacker)
    reentrant.execute(pool, pool.supply.encode_input(weth, collateral, reentrant), sender=attacker)
    # ...who flash-borrows all USDC liquidity and tries to borrow the same USDC again from the pool.
    amount = pool.availableLiquidity(usdc)
    reentrant.addCall(pool, pool.borrow.encode_input(usdc, 10**6, reentrant), sender=attacker)
    fixed = pinned()
    with reverts_with(pool.LendingPoolInsufficientLiquidity, asset=usdc.address, requested=10**6, available=0):
        flash_module.flashLoan(reentrant, usdc, amount, b"", sender=attacker)
    assert_untouched(fixed)


def test_flash_loan__withdraws_flash_lent_liquidity_in_callback__reverts(
    flash_module, pool, reentrant, attacker, pinned, usdc
):
    # The attacker is a genuine supplier who flash-borrows all liquidity and then withdraws its own supply.
    own = 500 * 10**6
    reentrant.execute(usdc, usdc.approve.encode_input(pool, own), sender=attacker)
    reentrant.execute(pool, pool.supply.encode_input(usdc, own, reentrant), sender=attacker)
    amount = pool.availableLiquidity(usdc)
    reentrant.addCall(pool, pool.withdraw.encode_input(usdc, own // 2, reentrant), sender=attacker)
    fixed = pinned()
    with reverts_with(pool.LendingPoolInsufficientLiquidity, asset=usdc.address, available=0):
        flash_module.flashLoan(reentrant, usdc, amount, b"", sender=attacker)
    assert_untouched(fixed)


def test_flash_loan__repays_own_debt_with_flash_funds__reverts_unless_it_can_pay(
    flash_module, pool, reentrant, attacker, governance, pinned, usdc, weth
):
    collateral = 1_000 * 10**18
    debt = 100_000 * 10**6
    reentrant.execute(weth, weth.approve.encode_input(pool, collateral), sender=attacker)
    reentrant.execute(pool, pool.supply.encode_input(weth, collateral, reentrant), sender=attacker)
    reentrant.execute(pool, pool.borrow.encode_input(usdc, debt, reentrant), sender=attacker)
    # Spend everything it holds, so that only the flash loan can pay the debt.
    reentrant.execute(usdc, usdc.transfer.encode_input(attacker, usdc.balanceOf(reentrant)), sender=attacker)

    amount = 2 * debt
    reentrant.addCall(usdc, usdc.approve.encode_input(pool, 2**256 - 1), sender=attacker)
    reentrant.addCall(pool, pool.repay.encode_input(usdc, 2**256 - 1, reentrant), sender=attacker)
    fixed = pinned()
    with reverts_with(usdc.ERC20InsufficientBalance, sender=reentrant.address):
        flash_module.flashLoan(reentrant, usdc, amount, b"", sender=attacker)
    assert_untouched(fixed)


def test_flash_loan__repays_own_debt_then_refunds_loan_from_own_funds__books_consistent(
    flash_module, pool, reentrant, attacker, governance, pinned, usdc, weth
):
    collateral = 1_000 * 10**18
    debt = 100_000 * 10**6
    reentrant.execute(weth, weth.approve.encode_input(pool, collateral), sender=attacker)
    reentrant.execute(pool, pool.supply.encode_input(weth, collateral, reentrant), sender=attacker)
    reentrant.execute(pool, pool.borrow.encode_input(usdc, debt, reentrant), sender=attacker)
    fund(usdc, reentrant, 200_000, governance)  # it can afford both its debt and the fee

    amount = 2 * debt
    reentrant.addCall(usdc, usdc.approve.encode_input(pool, 2**256 - 1), sender=attacker)
    reentrant.addCall(pool, pool.repay.encode_input(usdc, 2**256 - 1, reentrant), sender=attacker)
    fixed = pinned()
    flash_module.flashLoan(reentrant, usdc, amount, b"", sender=attacker)
    fixed.read()
    ref, act = fixed.reference["USDC"], fixed.actual["USDC"]
    fee = expected_fee(amount, DEFAULT_FEE_BPS)
    assert pool.getUserReserve(usdc, reentrant)[1] == 0  # debt gone
    repaid = ref["totalBorrowed"] - act["totalBorrowed"]
    assert repaid > 0
    assert act["cash"] - ref["cash"] >= repaid + fee
    assert act["protocolReserves"] - ref["protocolReserves"] >= fee
    assert act["totalSupplied"] == ref["totalSupplied"]
    assert act["poolBalance"] - act["cash"] == ref["poolBalance"] - ref["cash"]


# ---- uses the loan as collateral ----


@pytest.fixture
def collateralizer(project, pool, attacker):
    return attacker.deploy(project.CollateralizingFlashBorrowerMock, pool, attacker)


def test_flash_loan__collateralizes_borrows_and_leaves__reverts(
    flash_module, pool, collateralizer, attacker, pinned, usdc, weth
):
    amount = 400_000 * 10**6  # worth 133 WETH; 80 WETH is within its 75% ltv
    collateralizer.configure(weth, 80 * 10**18, collateralizer.LEAVE(), sender=attacker)
    fixed = pinned()
    with reverts_with(usdc.ERC20InsufficientBalance, sender=collateralizer.address, balance=0):
        flash_module.flashLoan(collateralizer, usdc, amount, b"", sender=attacker)
    assert_untouched(fixed)
    assert weth.balanceOf(attacker) == 0


def test_flash_loan__collateralizes_borrows_withdraws_collateral__reverts(
    flash_module, pool, collateralizer, attacker, pinned, usdc, weth
):
    amount = 400_000 * 10**6
    collateralizer.configure(weth, 80 * 10**18, collateralizer.WITHDRAW(), sender=attacker)
    fixed = pinned()
    with reverts_with(pool.LendingPoolHealthFactorTooLow, user=collateralizer.address):
        flash_module.flashLoan(collateralizer, usdc, amount, b"", sender=attacker)
    assert_untouched(fixed)


def test_flash_loan__collateralizes_with_own_repayment__healthy_leveraged_position(
    flash_module, pool, collateralizer, attacker, governance, pinned, usdc, weth
):
    amount = 400_000 * 10**6
    borrowed = 80 * 10**18
    fee = expected_fee(amount, DEFAULT_FEE_BPS)
    fund(usdc, collateralizer, 401_000, governance)  # pays the loan back from its own funds
    collateralizer.configure(weth, borrowed, collateralizer.LEAVE(), sender=attacker)
    fixed = pinned()
    flash_module.flashLoan(collateralizer, usdc, amount, b"", sender=attacker)
    fixed.read()

    account = pool.getAccountData(collateralizer)
    assert account.healthFactor >= 10**18
    assert account.debtValue <= account.borrowingPower
    usdc_ref, usdc_act = fixed.reference["USDC"], fixed.actual["USDC"]
    weth_ref, weth_act = fixed.reference["WETH"], fixed.actual["WETH"]
    # USDC: the supplied loan stays as the attacker's collateral; the fee went to the protocol.
    assert usdc_act["cash"] == usdc_ref["cash"] + amount + fee
    assert usdc_ref["totalSupplied"] + amount - 1 <= usdc_act["totalSupplied"] <= usdc_ref["totalSupplied"] + amount
    assert usdc_act["protocolReserves"] >= usdc_ref["protocolReserves"] + fee
    # WETH: lent out as an ordinary borrow, owed in full (rounded up).
    assert weth_act["cash"] == weth_ref["cash"] - borrowed
    assert borrowed <= weth_act["totalBorrowed"] - weth_ref["totalBorrowed"] <= borrowed + 1
    assert weth_act["protocolReserves"] >= weth_ref["protocolReserves"]
    assert weth.balanceOf(attacker) == borrowed
