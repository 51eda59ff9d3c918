"""Flash loans of listed tokens that turn hostile: a fee switched on after listing, an ERC-777-style hook that
re-enters. Each loan reverts and the pool's books and balances stay exactly as they were."""

import pytest

from tests.unit.flashloan.flash_env import ONE_YEAR, FixedTime, fund, reserve_config, reverts_with

LIQUIDITY = 100_000 * 10**18


@pytest.fixture
def list_token(project, flash_env, governance, supplier):
    """Lists ``token`` (18 decimals, $1) as a reserve and supplies liquidity to it."""

    def _list(token):
        feed = governance.deploy(project.MockAggregatorV3, 8, 10**8)
        flash_env.oracle.setFeed(token, feed, 10 * ONE_YEAR, 1, 10**30, sender=governance)
        flash_env.pool.listReserve(token, reserve_config(), flash_env.rate_model, sender=governance)
        token.mint(supplier, LIQUIDITY, sender=supplier)
        token.approve(flash_env.pool, LIQUIDITY, sender=supplier)
        flash_env.pool.supply(token, LIQUIDITY, supplier, sender=supplier)
        return token

    return _list


def pool_books(pool, token) -> tuple:
    data = pool.getReserveData(token)
    return (token.balanceOf(pool), data.cash, data.availableLiquidity, data.protocolReserves, data.totalSupplied,
            data.liquidityIndex, data.borrowIndex)


def test_flash_loan__token_fee_switched_on_after_listing__reverts_not_repaid(
    project, chain, flash_env, flash_module, pool, plain_borrower, governance, flash_borrower, list_token
):
    token = list_token(governance.deploy(project.FeeSwitchERC20Mock))
    token.mint(plain_borrower, 1_000 * 10**18, sender=governance)
    token.setFeeBps(100, sender=governance)  # 1% burnt on every transfer from now on
    amount = 10_000 * 10**18
    fee = flash_module.flashFee(token, amount)
    before = pool_books(pool, token)
    # The receiver approves amount + fee and the module pulls it, but the pool receives 1% less.
    with reverts_with(pool.LendingPoolFlashLoanNotRepaid, asset=token.address, expected=amount + fee):
        plain_borrower.flashBorrow(token, amount, b"", sender=flash_borrower)
    assert pool_books(pool, token) == before


@pytest.mark.parametrize("reenter", ["flash_loan", "pool_supply"])
def test_flash_loan__token_hook_reenters__reverts(
    project, chain, flash_env, flash_module, pool, plain_borrower, governance, attacker, flash_borrower, list_token,
    usdc, reenter
):
    token = list_token(governance.deploy(project.ReentrantTokenMock))
    token.mint(plain_borrower, 1_000 * 10**18, sender=governance)
    victim = governance.deploy(project.MinimalFlashBorrowerMock, True)
    fund(usdc, victim, 10, governance)
    if reenter == "flash_loan":
        target, data = flash_module, flash_module.flashLoan.encode_input(victim, usdc, 10**6, b"")
    else:
        target, data = pool, pool.supply.encode_input(token, 1, attacker)
    token.setReentry(target, data, sender=attacker)  # fires on the pool's transfer to the receiver

    pinned = FixedTime(chain, flash_env)
    before = pool_books(pool, token)
    with reverts_with(flash_module.ReentrancyGuardReentrantCall):
        plain_borrower.flashBorrow(token, 10_000 * 10**18, b"", sender=flash_borrower)
    assert pinned.diff() == {}
    assert pool_books(pool, token) == before
