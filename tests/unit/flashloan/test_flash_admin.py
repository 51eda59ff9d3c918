"""FlashLoanModule: initialisation, storage layout, governance setters, pool sync, pause and upgrade rights."""

import ape
import pytest
from eth_utils import keccak, to_checksum_address

from tests.unit.flashloan.flash_env import DEFAULT_FEE_BPS, POOL_ID, deploy_proxy, reverts_with

MAX_FEE_BPS = 100


def erc7201(namespace: str) -> int:
    inner = int.from_bytes(keccak(text=namespace), "big") - 1
    return int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF


def one_log(receipt, event):
    logs = receipt.decode_logs(event)
    assert len(logs) == 1
    return logs[0]


# ---- initialisation ----


def test_initialize__after_deploy__sets_registry_fee_and_pool(flash_env, flash_module):
    assert flash_module.registry() == flash_env.registry.address
    assert flash_module.pool() == flash_env.pool.address
    assert flash_module.defaultFlashFeeBps() == DEFAULT_FEE_BPS
    assert flash_module.MAX_FLASH_FEE_BPS() == MAX_FEE_BPS
    assert flash_module.version() == "1.0.0"
    assert not flash_module.modulePaused()


def test_initialize__proxy_again__reverts(flash_env, flash_module, attacker):
    with reverts_with(flash_module.InvalidInitialization):
        flash_module.initialize(flash_env.registry, 0, sender=attacker)


def test_initialize__bare_implementation__reverts(flash_env, attacker):
    with reverts_with(flash_env.module_impl.InvalidInitialization):
        flash_env.module_impl.initialize(flash_env.registry, 0, sender=attacker)


def test_initialize__default_fee_above_cap__reverts(project, flash_env, governance):
    impl = flash_env.module_impl
    with reverts_with(impl.FlashLoanFeeTooHigh, feeBps=MAX_FEE_BPS + 1, maxFeeBps=MAX_FEE_BPS):
        governance.deploy(project.ModuleProxy, impl, impl.initialize.encode_input(flash_env.registry, MAX_FEE_BPS + 1))


def test_initialize__pool_not_registered_yet__needs_sync(project, governance, guardian, flash_env, usdc, outsider):
    registry, _ = deploy_proxy(project, governance, project.ModuleRegistry, governance, guardian)
    module, _ = deploy_proxy(project, governance, project.FlashLoanModule, registry, DEFAULT_FEE_BPS)
    borrower_contract = governance.deploy(project.FlashBorrowerMock, module)

    assert module.pool() == ape.utils.ZERO_ADDRESS
    assert module.maxFlashLoan(usdc) == 0
    with reverts_with(module.FlashLoanUnsupportedToken, token=usdc.address):
        module.flashFee(usdc, 1)
    with reverts_with(module.FlashLoanPoolNotSynced):
        borrower_contract.flashBorrow(usdc, 1, b"", sender=outsider)
    with reverts_with(registry.RegistryModuleNotFound):
        module.syncPool(sender=outsider)

    registry.setModule(POOL_ID, flash_env.pool, sender=governance)
    receipt = module.syncPool(sender=outsider)
    log = one_log(receipt, module.PoolSynced)
    assert log.oldPool == ape.utils.ZERO_ADDRESS
    assert log.newPool == flash_env.pool.address
    assert module.pool() == flash_env.pool.address


def test_storage_location__erc7201_slot__holds_pool_and_default_fee(chain, flash_env, flash_module):
    slot = erc7201("strata.storage.FlashLoanModule")
    assert slot == 0x5803D15237D0F530CACE1512D3C5242E73C93A4D1F99F353FDA8BC8C6E62EF00
    raw = bytes(chain.provider.get_storage(flash_module.address, slot)).rjust(32, b"\0")
    assert to_checksum_address(raw[-20:]) == flash_env.pool.address
    assert int.from_bytes(raw[-22:-20], "big") == DEFAULT_FEE_BPS


# ---- fees ----


def test_set_flash_fee__governance__sets_and_emits_old_and_new(flash_module, governance, usdc):
    receipt = flash_module.setFlashFee(usdc, 30, sender=governance)
    log = one_log(receipt, flash_module.FlashFeeSet)
    assert (log.asset, log.oldFeeBps, log.newFeeBps) == (usdc.address, DEFAULT_FEE_BPS, 30)
    assert flash_module.flashFeeBps(usdc) == 30
    assert flash_module.getReserveFlashConfig(usdc) == (True, 30, True)

    receipt = flash_module.setFlashFee(usdc, 40, sender=governance)
    log = one_log(receipt, flash_module.FlashFeeSet)
    assert (log.oldFeeBps, log.newFeeBps) == (30, 40)


def test_set_flash_fee__zero__makes_loans_free(flash_module, governance, usdc):
    flash_module.setFlashFee(usdc, 0, sender=governance)
    assert flash_module.flashFeeBps(usdc) == 0
    assert flash_module.flashFee(usdc, 10**12) == 0
    assert flash_module.getReserveFlashConfig(usdc) == (True, 0, True)


def test_set_flash_fee__cap__allowed(flash_module, governance, usdc):
    flash_module.setFlashFee(usdc, MAX_FEE_BPS, sender=governance)
    assert flash_module.flashFee(usdc, 10**6) == 10**4


def test_set_flash_fee__above_cap__reverts(flash_module, governance, usdc):
    with reverts_with(flash_module.FlashLoanFeeTooHigh, feeBps=MAX_FEE_BPS + 1, maxFeeBps=MAX_FEE_BPS):
        flash_module.setFlashFee(usdc, MAX_FEE_BPS + 1, sender=governance)


@pytest.mark.parametrize("role", ["attacker", "guardian"])
def test_set_flash_fee__not_governance__reverts(request, flash_module, usdc, role):
    caller = request.getfixturevalue(role)
    with reverts_with(flash_module.StrataUnauthorizedGovernance, caller=caller.address):
        flash_module.setFlashFee(usdc, 0, sender=caller)


def test_clear_flash_fee__own_fee__falls_back_to_default(flash_module, governance, usdc):
    flash_module.setFlashFee(usdc, 0, sender=governance)
    receipt = flash_module.clearFlashFee(usdc, sender=governance)
    log = one_log(receipt, flash_module.FlashFeeCleared)
    assert (log.asset, log.oldFeeBps, log.newFeeBps) == (usdc.address, 0, DEFAULT_FEE_BPS)
    assert flash_module.getReserveFlashConfig(usdc) == (True, DEFAULT_FEE_BPS, False)


def test_clear_flash_fee__not_governance__reverts(flash_module, attacker, usdc):
    with reverts_with(flash_module.StrataUnauthorizedGovernance):
        flash_module.clearFlashFee(usdc, sender=attacker)


def test_set_default_flash_fee__governance__applies_to_reserves_without_own_fee(flash_module, governance, usdc, weth):
    flash_module.setFlashFee(weth, 2, sender=governance)
    receipt = flash_module.setDefaultFlashFee(50, sender=governance)
    log = one_log(receipt, flash_module.DefaultFlashFeeSet)
    assert (log.oldFeeBps, log.newFeeBps) == (DEFAULT_FEE_BPS, 50)
    assert flash_module.defaultFlashFeeBps() == 50
    assert flash_module.flashFeeBps(usdc) == 50
    assert flash_module.flashFeeBps(weth) == 2


def test_set_default_flash_fee__above_cap__reverts(flash_module, governance):
    with reverts_with(flash_module.FlashLoanFeeTooHigh, feeBps=MAX_FEE_BPS + 1, maxFeeBps=MAX_FEE_BPS):
        flash_module.setDefaultFlashFee(MAX_FEE_BPS + 1, sender=governance)


def test_set_default_flash_fee__not_governance__reverts(flash_module, guardian):
    with reverts_with(flash_module.StrataUnauthorizedGovernance):
        flash_module.setDefaultFlashFee(0, sender=guardian)


# ---- per-reserve switch ----


def test_set_flash_loan_enabled__off_and_on__emits_and_gates_support(flash_module, governance, pool, usdc):
    receipt = flash_module.setFlashLoanEnabled(usdc, False, sender=governance)
    log = one_log(receipt, flash_module.FlashLoanEnabledSet)
    assert (log.asset, log.oldEnabled, log.newEnabled) == (usdc.address, True, False)
    assert flash_module.getReserveFlashConfig(usdc)[0] is False
    assert flash_module.maxFlashLoan(usdc) == 0

    receipt = flash_module.setFlashLoanEnabled(usdc, True, sender=governance)
    log = one_log(receipt, flash_module.FlashLoanEnabledSet)
    assert (log.oldEnabled, log.newEnabled) == (False, True)
    assert flash_module.maxFlashLoan(usdc) == pool.availableLiquidity(usdc)


@pytest.mark.parametrize("role", ["attacker", "guardian"])
def test_set_flash_loan_enabled__not_governance__reverts(request, flash_module, usdc, role):
    caller = request.getfixturevalue(role)
    with reverts_with(flash_module.StrataUnauthorizedGovernance):
        flash_module.setFlashLoanEnabled(usdc, False, sender=caller)


# ---- the configured-asset filter (lets unconfigured reserves skip a cold storage read) ----


def _same_filter_bit(asset: str, k: int) -> str:
    """An address sharing ``asset``'s filter bit (``address % 80``), shifted by ``80 * k``."""
    return to_checksum_address((int(asset, 16) + 80 * k).to_bytes(20, "big"))


def test_filter__configured_asset__does_not_change_others_sharing_its_bit(flash_module, governance, usdc):
    twin = _same_filter_bit(usdc.address, 1)
    neighbour = to_checksum_address((int(usdc.address, 16) + 1).to_bytes(20, "big"))
    flash_module.setFlashFee(usdc, 55, sender=governance)
    flash_module.setFlashLoanEnabled(twin, True, sender=governance)  # no-op config, but marks the bit
    for asset in (twin, neighbour):
        assert flash_module.getReserveFlashConfig(asset) == (True, DEFAULT_FEE_BPS, False)
    assert flash_module.getReserveFlashConfig(usdc) == (True, 55, True)


def test_filter__colliding_assets__each_keeps_its_own_config(flash_module, governance):
    base = "0x" + "11" * 20
    twins = [_same_filter_bit(base, k) for k in range(3)]
    flash_module.setFlashFee(twins[0], 0, sender=governance)
    flash_module.setFlashLoanEnabled(twins[1], False, sender=governance)
    assert flash_module.getReserveFlashConfig(twins[0]) == (True, 0, True)
    assert flash_module.getReserveFlashConfig(twins[1]) == (False, DEFAULT_FEE_BPS, False)
    assert flash_module.getReserveFlashConfig(twins[2]) == (True, DEFAULT_FEE_BPS, False)
    flash_module.clearFlashFee(twins[0], sender=governance)
    assert flash_module.getReserveFlashConfig(twins[0]) == (True, DEFAULT_FEE_BPS, False)


def test_filter__storage__marks_bit_of_each_configured_asset(chain, flash_module, governance, usdc, weth):
    slot = erc7201("strata.storage.FlashLoanModule")

    def filter_bits() -> int:
        raw = bytes(chain.provider.get_storage(flash_module.address, slot)).rjust(32, b"\0")
        return int.from_bytes(raw[:10], "big")  # bits [176, 256) of the packed word

    assert filter_bits() == 0
    flash_module.setFlashFee(usdc, 1, sender=governance)
    flash_module.setFlashLoanEnabled(weth, False, sender=governance)
    expected = (1 << (int(usdc.address, 16) % 80)) | (1 << (int(weth.address, 16) % 80))
    assert filter_bits() == expected


# ---- pool sync ----


def test_sync_pool__anyone__rereads_registry(project, flash_env, flash_module, governance, outsider):
    new_pool, _ = deploy_proxy(project, governance, project.LendingPool, flash_env.registry)
    flash_env.registry.setModule(POOL_ID, new_pool, sender=governance)
    assert flash_module.pool() == flash_env.pool.address  # cached until someone syncs

    receipt = flash_module.syncPool(sender=outsider)
    log = one_log(receipt, flash_module.PoolSynced)
    assert (log.oldPool, log.newPool) == (flash_env.pool.address, new_pool.address)
    assert flash_module.pool() == new_pool.address


# ---- pause ----


def test_pause_module__guardian__only_governance_unpauses(flash_module, pool, guardian, governance, usdc):
    flash_module.pauseModule(sender=guardian)
    assert flash_module.modulePaused()
    with reverts_with(flash_module.StrataUnauthorizedGovernance):
        flash_module.unpauseModule(sender=guardian)
    flash_module.unpauseModule(sender=governance)
    assert not flash_module.modulePaused()
    assert flash_module.maxFlashLoan(usdc) == pool.availableLiquidity(usdc)


def test_pause_module__attacker__reverts(flash_module, attacker):
    with reverts_with(flash_module.StrataUnauthorizedGuardian, caller=attacker.address):
        flash_module.pauseModule(sender=attacker)


# ---- upgrades ----


def test_upgrade__not_governance__reverts(project, flash_module, governance, guardian):
    new_impl = governance.deploy(project.FlashLoanModule)
    with reverts_with(flash_module.StrataUnauthorizedGovernance, caller=guardian.address):
        flash_module.upgradeToAndCall(new_impl, b"", sender=guardian)


def test_upgrade__governance__keeps_configuration(project, chain, flash_env, flash_module, governance, usdc):
    flash_module.setFlashFee(usdc, 42, sender=governance)
    new_impl = governance.deploy(project.FlashLoanModule)
    flash_module.upgradeToAndCall(new_impl, b"", sender=governance)

    from strata.chain import implementation_of

    assert implementation_of(chain.provider, flash_module.address) == new_impl.address
    assert flash_module.flashFeeBps(usdc) == 42
    assert flash_module.pool() == flash_env.pool.address
    assert flash_module.defaultFlashFeeBps() == DEFAULT_FEE_BPS
