"""The pool's flash-loan hooks answer only the module the registry names (as cached by `syncModules`)."""

import ape

from tests.unit.flashloan.flash_env import DEFAULT_FEE_BPS, FLASH_ID, deploy_proxy, expected_fee, fund, reverts_with


def test_flash_loan_lend__not_the_module__reverts(pool, usdc, attacker):
    with reverts_with(pool.StrataUnauthorizedModule, caller=attacker.address):
        pool.flashLoanLend(usdc, attacker, 10**6, sender=attacker)


def test_flash_loan_settle__not_the_module__reverts(pool, usdc, attacker):
    with reverts_with(pool.StrataUnauthorizedModule, caller=attacker.address):
        pool.flashLoanSettle(usdc, 0, 0, sender=attacker)


def test_flash_loan__impostor_module_with_own_registry__refused_by_pool(
    project, flash_env, governance, attacker, usdc
):
    # The attacker runs the real module code against a registry it governs, naming the real pool.
    fake_registry, _ = deploy_proxy(project, attacker, project.ModuleRegistry, attacker, attacker)
    fake_registry.setModule(b"LENDING_POOL".ljust(32, b"\0"), flash_env.pool, sender=attacker)
    impostor, _ = deploy_proxy(project, attacker, project.FlashLoanModule, fake_registry, 0)
    receiver = attacker.deploy(project.MinimalFlashBorrowerMock, True)
    assert impostor.pool() == flash_env.pool.address
    with reverts_with(flash_env.pool.StrataUnauthorizedModule, caller=impostor.address):
        impostor.flashLoan(receiver, usdc, 10**6, b"", sender=attacker)
    assert usdc.balanceOf(receiver) == 0


def test_flash_loan__module_replaced_in_registry__old_module_refused_after_sync(
    project, flash_env, flash_module, pool, governance, outsider, usdc
):
    new_module, _ = deploy_proxy(project, governance, project.FlashLoanModule, flash_env.registry, DEFAULT_FEE_BPS)
    flash_env.registry.setModule(FLASH_ID, new_module, sender=governance)
    pool.syncModules(sender=outsider)
    assert pool.cachedModules()[2] == new_module.address

    old_receiver = governance.deploy(project.MinimalFlashBorrowerMock, True)
    fund(usdc, old_receiver, 1, governance)
    with reverts_with(pool.StrataUnauthorizedModule, caller=flash_module.address):
        flash_module.flashLoan(old_receiver, usdc, 10**6, b"", sender=outsider)

    new_module.flashLoan(old_receiver, usdc, 10**6, b"", sender=outsider)
    assert usdc.balanceOf(old_receiver) == 10**6 - expected_fee(10**6, DEFAULT_FEE_BPS)
