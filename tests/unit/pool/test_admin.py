"""Initialisation, listing, configuration, pauses, protocol reserves, upgrades: who may do what, and the events."""

import ape
import pytest
from eth_utils import keccak

from tests.unit.pool.model import MAX_UINT, WAD
from tests.unit.pool.pool_env import BORROW, FLASH, LIQUIDATE, SUPPLY, WITHDRAW, deploy_proxy, module_id

ZERO = "0x0000000000000000000000000000000000000000"
CONFIG = (7_500, 8_000, 500, 1_000, 0, 0, True)


def erc7201(ns: str) -> int:
    inner = int.from_bytes(keccak(text=ns), "big") - 1
    return int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF


# -- initialisation -------------------------------------------------------------------------------------------


def test_initialize__caches_modules_and_reports_version(pool_env, pool):
    assert pool.version() == "1.0.0"
    assert pool.registry() == pool_env.registry.address
    assert pool.cachedModules() == (pool_env.oracle.address, pool_env.engine.address, pool_env.flash.address)


def test_initialize__twice__reverts(pool_env, pool, attacker):
    with ape.reverts(pool.InvalidInitialization):
        pool.initialize(attacker, sender=attacker)


def test_initialize__implementation__is_locked(pool_env, attacker):
    with ape.reverts(pool_env.pool_impl.InvalidInitialization):
        pool_env.pool_impl.initialize(pool_env.registry, sender=attacker)


def test_initialize__zero_registry__reverts(project, governance):
    impl = governance.deploy(project.LendingPool)
    with ape.reverts():
        governance.deploy(project.ModuleProxy, impl, impl.initialize.encode_input(ZERO))


def test_storage__erc7201_namespace__holds_the_cached_modules(pool_env, pool, chain):
    base = erc7201("strata.storage.LendingPool")
    assert base == 0x1A35C152F919470EED795BF267B92DE66C7902CD25AE2E29A5F7B7A02A378700
    # LendingPoolStorage: reserves, reserveRisks, positions, userConfigs, borrowAllowances, priceOracle + paused (+5)
    word = chain.provider.get_storage(pool.address, base + 5)
    assert int.from_bytes(bytes(word), "big") == int(pool_env.oracle.address, 16)
    word = chain.provider.get_storage(pool.address, base + 8)
    assert int.from_bytes(bytes(word), "big") == 3  # reservesCount


def test_storage__module_pause__is_kept_next_to_the_oracle_address(pool_env, pool, chain, guardian, governance):
    # The pool's pause shares the oracle's slot (one cold read for both); StrataModule's own flag stays unused.
    base = erc7201("strata.storage.LendingPool")
    module_slot = erc7201("strata.storage.StrataModule")
    module_word = bytes(chain.provider.get_storage(pool.address, module_slot))
    pool.pauseModule(sender=guardian)
    word = int.from_bytes(bytes(chain.provider.get_storage(pool.address, base + 5)), "big")
    assert word == int(pool_env.oracle.address, 16) | (1 << 160)
    assert bytes(chain.provider.get_storage(pool.address, module_slot)) == module_word
    assert pool.modulePaused()
    pool.unpauseModule(sender=governance)
    word = int.from_bytes(bytes(chain.provider.get_storage(pool.address, base + 5)), "big")
    assert word == int(pool_env.oracle.address, 16)
    assert not pool.modulePaused()


def test_storage__risk_words__keyed_by_reserve_id_carry_the_asset(pool_env, pool, chain, usdc, weth, wbtc):
    # reserveRisks[id] = asset | ltv << 160 | threshold << 176 | bonus << 192 | decimals << 208 (PoolPacking).
    base = erc7201("strata.storage.LendingPool")
    for asset in (usdc, weth, wbtc):
        reserve_id = pool.getReserveData(asset).id
        slot = int.from_bytes(keccak(reserve_id.to_bytes(32, "big") + (base + 1).to_bytes(32, "big")), "big")
        word = int.from_bytes(bytes(chain.provider.get_storage(pool.address, slot)), "big")
        ltv, threshold, bonus = tuple(pool.getReserveConfig(asset))[:3]
        assert word == (int(asset.address, 16) | ltv << 160 | threshold << 176 | bonus << 192
                        | asset.decimals() << 208)
        assert pool.getReservesList()[reserve_id] == asset.address


# -- listing --------------------------------------------------------------------------------------------------


def test_list_reserve__lists_with_indices_at_ray(project, pool_env, pool, governance):
    token = governance.deploy(project.MockERC20, "DAI", "DAI", 18)
    pool_env.set_price(token, 1)

    receipt = pool.listReserve(token, CONFIG, pool_env.rate_model, sender=governance)

    event = receipt.events.filter(pool.ReserveListed)[0]
    assert (event.asset, event.id, event.decimals, event.rateModel) == (token, 3, 18, pool_env.rate_model)
    assert tuple(event.config) == CONFIG
    data = pool.getReserveData(token)
    assert (data.liquidityIndex, data.borrowIndex, data.id, data.decimals) == (10**27, 10**27, 3, 18)
    assert data.borrowRate == pool_env.rate_model.getBorrowRate(0, 0)
    assert pool.getReservesList()[-1] == token.address
    assert tuple(pool.getReserveConfig(token)) == CONFIG


def test_list_reserve__not_governance__reverts(project, pool_env, pool, guardian):
    token = guardian.deploy(project.MockERC20, "DAI", "DAI", 18)
    with ape.reverts(pool.StrataUnauthorizedGovernance, caller=guardian.address):
        pool.listReserve(token, CONFIG, pool_env.rate_model, sender=guardian)


def test_list_reserve__twice__reverts(pool_env, pool, usdc, governance):
    with ape.reverts(pool.LendingPoolReserveAlreadyListed, asset=usdc.address):
        pool.listReserve(usdc, CONFIG, pool_env.rate_model, sender=governance)


def test_list_reserve__bad_rate_model__reverts(project, pool_env, pool, governance, outsider):
    token = governance.deploy(project.MockERC20, "DAI", "DAI", 18)
    for model in (ZERO, outsider.address):
        with ape.reverts(pool.LendingPoolInvalidRateModel, rateModel=model):
            pool.listReserve(token, CONFIG, model, sender=governance)


def test_list_reserve__zero_asset__reverts(pool_env, pool, governance):
    with ape.reverts(pool.StrataZeroAddress):
        pool.listReserve(ZERO, CONFIG, pool_env.rate_model, sender=governance)


def test_list_reserve__too_many_decimals__reverts(project, pool_env, pool, governance):
    token = governance.deploy(project.MockERC20, "BIG", "BIG", 40)
    with ape.reverts(pool.LendingPoolUnsupportedDecimals, asset=token.address, decimals=40, max=36):
        pool.listReserve(token, CONFIG, pool_env.rate_model, sender=governance)


def test_list_reserve__beyond_128__reverts(project, pool_env, pool, governance):
    token = governance.deploy(project.MockERC20, "T", "T", 18)
    listed = len(pool.getReservesList())
    for _ in range(128 - listed):
        extra = governance.deploy(project.MockERC20, "T", "T", 18)
        pool.listReserve(extra, CONFIG, pool_env.rate_model, sender=governance)
    with ape.reverts(pool.LendingPoolTooManyReserves, max=128):
        pool.listReserve(token, CONFIG, pool_env.rate_model, sender=governance)


@pytest.mark.parametrize(
    "config, reason",
    [
        ((8_000, 8_000, 500, 1_000, 0, 0, True), "LTV_NOT_BELOW_THRESHOLD"),
        ((500, 0, 0, 1_000, 0, 0, True), "LTV_NOT_BELOW_THRESHOLD"),
        ((7_500, 10_001, 0, 1_000, 0, 0, True), "THRESHOLD_ABOVE_ONE"),
        ((7_500, 9_500, 600, 1_000, 0, 0, True), "BONUS_TOO_HIGH"),  # 0.95 × 1.06 ≥ 1
        ((7_500, 10_000, 0, 1_000, 0, 0, True), "BONUS_TOO_HIGH"),  # threshold 1 leaves no room at all
        ((7_500, 8_000, 500, 10_001, 0, 0, True), "RESERVE_FACTOR_ABOVE_ONE"),
    ],
)
def test_set_reserve_config__invalid__reverts_with_reason(pool, usdc, governance, config, reason):
    with ape.reverts(pool.LendingPoolInvalidConfig, reason=reason.encode().ljust(32, b"\0")):
        pool.setReserveConfig(usdc, config, sender=governance)


def test_set_reserve_config__valid_edges__accepted(pool, usdc, governance):
    for config in (
        (0, 0, 0, 10_000, 0, 0, False),  # not collateral, all interest to reserves
        (0, 9_000, 1_000, 0, 2**48 - 1, 2**48 - 1, True),  # 0.9 × 1.1 < 1, widest caps
    ):
        pool.setReserveConfig(usdc, config, sender=governance)
        assert tuple(pool.getReserveConfig(usdc)) == config


def test_set_reserve_config__emits_old_and_new(pool, usdc, governance):
    new = (7_000, 7_800, 600, 2_000, 5_000_000, 4_000_000, False)
    receipt = pool.setReserveConfig(usdc, new, sender=governance)
    event = receipt.events.filter(pool.ReserveConfigUpdated)[0]
    assert tuple(event.previous) == (7_500, 8_000, 500, 1_000, 0, 0, True)
    assert tuple(event.current) == new
    assert tuple(pool.getReserveConfig(usdc)) == new
    assert pool.getLiquidationParams(usdc) == (int(0.78e18), int(0.06e18), 6)


def test_get_reserve_config__unlisted_asset__is_all_zero(project, pool, usdc, governance):
    # An unlisted asset's empty config names id 0: it must not show reserve 0's factors.
    token = governance.deploy(project.MockERC20, "DAI", "DAI", 18)
    assert pool.getReserveData(usdc).id == 0 and tuple(pool.getReserveConfig(usdc))[0] != 0
    assert tuple(pool.getReserveConfig(token)) == (0, 0, 0, 0, 0, 0, False)
    with ape.reverts(pool.LendingPoolReserveNotListed):
        pool.getLiquidationParams(token)


def test_set_reserve_config__not_governance__reverts(pool, usdc, guardian):
    with ape.reverts(pool.StrataUnauthorizedGovernance):
        pool.setReserveConfig(usdc, CONFIG, sender=guardian)


def test_set_reserve_config__unlisted__reverts(project, pool, governance):
    token = governance.deploy(project.MockERC20, "X", "X", 18)
    with ape.reverts(pool.LendingPoolReserveNotListed, asset=token.address):
        pool.setReserveConfig(token, CONFIG, sender=governance)


def test_set_reserve_config__new_reserve_factor__applies_from_now_on(pool_env, pool, usdc, weth, governance, supplier,
                                                                    borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 800_000 * 10**6)
    pool_env.mine(365 * 86_400)
    t = pool_env.next_block()
    snapshot = pool_env.chain.snapshot()
    pool_env.chain.mine()
    accrued_reserves = pool.getReserveData(usdc).protocolReserves  # a year at 10%
    pool_env.chain.restore(snapshot)
    pool_env.chain.pending_timestamp = t

    pool.setReserveConfig(usdc, (7_500, 8_000, 500, 10_000, 0, 0, True), sender=governance)

    assert pool.getReserveData(usdc).protocolReserves == accrued_reserves
    supplied = pool.getUserReserve(usdc, supplier)[0]
    pool_env.mine(365 * 86_400)
    assert pool.getUserReserve(usdc, supplier)[0] == supplied  # 100% reserve factor: suppliers earn nothing more


# -- rate model -----------------------------------------------------------------------------------------------


def test_set_rate_model__accrues_then_switches(project, pool_env, pool, usdc, weth, governance, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 500_000 * 10**6)
    model = governance.deploy(project.KinkedRateModel, int(0.5e18), int(0.1e18), int(0.9e18), int(1e18))
    pool_env.mine(86_400)
    old = pool.getReserveData(usdc)

    receipt = pool.setRateModel(usdc, model, sender=governance)

    event = receipt.events.filter(pool.RateModelUpdated)[0]
    assert (event.previous, event.current) == (pool_env.rate_model.address, model.address)
    data = pool.getReserveData(usdc)
    assert data.borrowIndex >= old.borrowIndex
    assert data.rateModel == model.address
    assert data.borrowRate == model.getBorrowRate(data.cash, data.totalBorrowed)


def test_set_rate_model__invalid_or_not_governance__reverts(pool_env, pool, usdc, governance, guardian, outsider):
    with ape.reverts(pool.LendingPoolInvalidRateModel, rateModel=outsider.address):
        pool.setRateModel(usdc, outsider, sender=governance)
    with ape.reverts(pool.StrataUnauthorizedGovernance):
        pool.setRateModel(usdc, pool_env.rate_model, sender=guardian)


def test_rate__faulty_model__is_capped(project, pool_env, pool, usdc, weth, governance, supplier, borrower):
    model = governance.deploy(project.PoolTestRateModelMock, 10**18, 0)  # 100% a second
    pool.setRateModel(usdc, model, sender=governance)
    assert pool.getReserveData(usdc).borrowRate == pool.MAX_BORROW_RATE() == 10 * WAD // (365 * 86_400)


# -- pauses ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", [SUPPLY, WITHDRAW, BORROW, LIQUIDATE, FLASH])
def test_pause_action__guardian_pauses_governance_unpauses(pool, usdc, guardian, governance, action):
    receipt = pool.pauseAction(usdc, action, sender=guardian)
    assert receipt.events.filter(pool.ReservePauseUpdated) == [pool.ReservePauseUpdated(usdc, 0, 1 << action)]
    assert pool.isActionPaused(usdc, action)
    assert pool.getReserveData(usdc).pausedActions == 1 << action
    with ape.reverts(pool.StrataUnauthorizedGovernance, caller=guardian.address):
        pool.unpauseAction(usdc, action, sender=guardian)
    receipt = pool.unpauseAction(usdc, action, sender=governance)
    assert receipt.events.filter(pool.ReservePauseUpdated) == [pool.ReservePauseUpdated(usdc, 1 << action, 0)]
    assert not pool.isActionPaused(usdc, action)


def test_pause_action__governance_may_pause_too_and_flags_accumulate(pool, usdc, governance):
    pool.pauseAction(usdc, SUPPLY, sender=governance)
    receipt = pool.pauseAction(usdc, BORROW, sender=governance)
    assert receipt.events.filter(pool.ReservePauseUpdated) == [pool.ReservePauseUpdated(usdc, 1, 1 | 4)]


def test_pause_action__outsider__reverts(pool, usdc, outsider):
    with ape.reverts(pool.StrataUnauthorizedGuardian, caller=outsider.address):
        pool.pauseAction(usdc, SUPPLY, sender=outsider)


def test_pause_action__unlisted__reverts(project, pool, governance):
    token = governance.deploy(project.MockERC20, "X", "X", 18)
    with ape.reverts(pool.LendingPoolReserveNotListed):
        pool.pauseAction(token, SUPPLY, sender=governance)


def test_pause_module__guardian_stops_everything_governance_restarts(pool_env, pool, usdc, guardian, governance,
                                                                    supplier):
    pool.pauseModule(sender=guardian)
    assert pool.modulePaused()
    with ape.reverts(pool.StrataUnauthorizedGovernance):
        pool.unpauseModule(sender=guardian)
    pool.unpauseModule(sender=governance)
    pool_env.deposit(supplier, usdc, 10)


# -- protocol reserves ----------------------------------------------------------------------------------------


@pytest.fixture
def with_reserves(pool_env, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 800_000 * 10**6)
    pool_env.mine(365 * 86_400)
    pool_env.fund(borrower, usdc, 200_000 * 10**6)
    pool_env.pool.repay(usdc, MAX_UINT, borrower, sender=borrower)


def test_withdraw_protocol_reserves__max__sends_all_and_leaves_suppliers_whole(pool, usdc, governance, treasury,
                                                                              supplier, with_reserves):
    reserves = pool.getReserveData(usdc).protocolReserves
    assert reserves > 0

    receipt = pool.withdrawProtocolReserves(usdc, treasury, MAX_UINT, sender=governance)

    assert usdc.balanceOf(treasury) == reserves
    assert receipt.events.filter(pool.ProtocolReservesWithdrawn) == [
        pool.ProtocolReservesWithdrawn(usdc, treasury, reserves, 0)
    ]
    owed = pool.getUserReserve(usdc, supplier)[0]
    pool.withdraw(usdc, MAX_UINT, supplier, sender=supplier)
    assert usdc.balanceOf(supplier) >= owed


def test_withdraw_protocol_reserves__more_than_reserves__reverts(pool, usdc, governance, treasury, with_reserves):
    reserves = pool.getReserveData(usdc).protocolReserves
    with ape.reverts(pool.LendingPoolInsufficientProtocolReserves, asset=usdc.address, requested=reserves + 1,
                     available=reserves):
        pool.withdrawProtocolReserves(usdc, treasury, reserves + 1, sender=governance)


def test_withdraw_protocol_reserves__not_governance__reverts(pool, usdc, guardian, with_reserves):
    with ape.reverts(pool.StrataUnauthorizedGovernance):
        pool.withdrawProtocolReserves(usdc, guardian, 1, sender=guardian)


def test_withdraw_protocol_reserves__zero_args__revert(pool, usdc, governance, treasury):
    with ape.reverts(pool.StrataZeroAddress):
        pool.withdrawProtocolReserves(usdc, ZERO, 1, sender=governance)
    with ape.reverts(pool.LendingPoolZeroAmount):
        pool.withdrawProtocolReserves(usdc, treasury, 0, sender=governance)
    with ape.reverts(pool.LendingPoolInsufficientProtocolReserves):
        pool.withdrawProtocolReserves(usdc, treasury, MAX_UINT, sender=governance)  # none yet


# -- modules and upgrades -------------------------------------------------------------------------------------


def test_sync_modules__permissionless_and_emits_old_and_new(project, pool_env, pool, governance, outsider):
    engine = governance.deploy(project.PoolHookCallerMock)
    pool_env.registry.setModule(module_id("LIQUIDATION_ENGINE"), engine, sender=governance)
    receipt = pool.syncModules(sender=outsider)
    event = receipt.events.filter(pool.ModulesSynced)[0]
    assert (event.previousLiquidationEngine, event.liquidationEngine) == (pool_env.engine.address, engine.address)
    assert (event.previousPriceOracle, event.priceOracle) == (pool_env.oracle.address, pool_env.oracle.address)


def test_upgrade__not_governance__reverts(project, pool_env, pool, guardian):
    impl = guardian.deploy(project.LendingPool)
    with ape.reverts(pool.StrataUnauthorizedGovernance):
        pool.upgradeToAndCall(impl, b"", sender=guardian)


def test_upgrade__governance__keeps_every_position(project, pool_env, pool, usdc, weth, governance, supplier,
                                                  borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 100 * 10**18, usdc, 100_000 * 10**6)
    impl = governance.deploy(project.LendingPool)

    def positions():
        return pool.getReserveData(usdc), pool.getUserReserve(usdc, supplier), pool.getAccountData(borrower)

    before = pool_env.read_at_next_block(positions)  # the upgrade is mined at that same time
    pool.upgradeToAndCall(impl, b"", sender=governance)
    assert positions() == before
