"""Every restricted entry point refuses everyone but its role: hooks only from the cached module, configuration
only from governance, pauses from the guardian or governance (unpause: governance only)."""

from __future__ import annotations

import ape
import pytest

from tests.unit.pool.pool_env import SUPPLY, module_id

CONFIG = (7_500, 8_000, 500, 1_000, 0, 0, True)


def _hook_calls(pool, usdc, weth, who):
    return {
        "executeLiquidation": (pool.executeLiquidation,
                               (who.address, who.address, usdc.address, weth.address, 2**256 - 1), "LIQUIDATION_ENGINE"),
        "flashLoanLend": (pool.flashLoanLend, (usdc.address, who.address, 1), "FLASH_LOAN_MODULE"),
        "flashLoanSettle": (pool.flashLoanSettle, (usdc.address, 0, 0), "FLASH_LOAN_MODULE"),
    }


@pytest.mark.parametrize("hook", ["executeLiquidation", "flashLoanLend", "flashLoanSettle"])
@pytest.mark.parametrize("role", ["attacker", "governance", "guardian"])
def test_hooks__anyone_but_the_module__reverts(pool, usdc, weth, hook, role, request):
    caller = request.getfixturevalue(role)
    method, args, module = _hook_calls(pool, usdc, weth, caller)[hook]
    with ape.reverts(pool.StrataUnauthorizedModule, caller=caller.address, expectedModule=module_id(module)):
        method(*args, sender=caller)


def test_hooks__module_removed_from_registry__keeps_working_until_synced_then_stops(pool_env, pool, usdc, governance,
                                                                                   guardian, supplier):
    from tests.unit.pool.pool_env import reverts_named

    pool_env.deposit(supplier, usdc, 10**9)
    pool_env.usdc.mint(pool_env.flash, 10**6, sender=supplier)
    pool_env.registry.removeModule(module_id("FLASH_LOAN_MODULE"), sender=governance)
    pool_env.flash_loan(usdc, 10**6, 1, sender=supplier)  # the cache still trusts it
    pool.syncModules(sender=guardian)  # the guardian (anyone) revokes it at once
    assert pool.cachedModules()[2] == "0x0000000000000000000000000000000000000000"
    with reverts_named(pool, "StrataUnauthorizedModule"):
        pool_env.flash_loan(usdc, 10**6, 1, sender=supplier)


@pytest.mark.parametrize("role", ["attacker", "guardian"])
def test_governance_functions__others__revert(project, pool_env, pool, usdc, role, request):
    caller = request.getfixturevalue(role)
    token = caller.deploy(project.MockERC20, "X", "X", 18)
    calls = [
        (pool.listReserve, (token, CONFIG, pool_env.rate_model)),
        (pool.setReserveConfig, (usdc, CONFIG)),
        (pool.setRateModel, (usdc, pool_env.rate_model)),
        (pool.withdrawProtocolReserves, (usdc, caller, 1)),
        (pool.unpauseAction, (usdc, SUPPLY)),
        (pool.unpauseModule, ()),
        (pool.upgradeToAndCall, (pool_env.pool_impl, b"")),
    ]
    for method, args in calls:
        with ape.reverts(pool.StrataUnauthorizedGovernance, caller=caller.address):
            method(*args, sender=caller)


def test_guardian_functions__attacker__reverts(pool, usdc, attacker):
    with ape.reverts(pool.StrataUnauthorizedGuardian, caller=attacker.address):
        pool.pauseAction(usdc, SUPPLY, sender=attacker)
    with ape.reverts(pool.StrataUnauthorizedGuardian, caller=attacker.address):
        pool.pauseModule(sender=attacker)


def test_borrow_for_someone__without_consent__reverts(pool_env, pool, usdc, weth, supplier, borrower, attacker):
    pool_env.deposit(supplier, usdc, 10**12)
    pool_env.deposit(borrower, weth, 100 * 10**18)
    with ape.reverts(pool.LendingPoolInsufficientBorrowAllowance, delegator=borrower.address,
                     delegatee=attacker.address):
        pool.borrow(usdc, 10**6, borrower, sender=attacker)


def test_withdraw_for_someone__impossible(pool_env, pool, usdc, supplier, attacker):
    """withdraw always burns the caller's own shares: there is no onBehalfOf to abuse."""
    pool_env.deposit(supplier, usdc, 10**9)
    with ape.reverts(pool.LendingPoolInsufficientSupply, user=attacker.address):
        pool.withdraw(usdc, 1, attacker, sender=attacker)
