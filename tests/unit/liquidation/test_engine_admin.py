"""LiquidationEngine administration: initialisation, governance setters, module sync, storage location."""

from __future__ import annotations

import ape
import pytest
from eth_utils import keccak, to_checksum_address

from strata.chain import implementation_of
from tests.unit.liquidation.helpers import assert_call_reverts
from tests.unit.liquidation.market import (
    CLOSE_FACTOR,
    DUST_DEBT_VALUE,
    FULL_LIQUIDATION_HF,
    MAX_UINT256,
    PROTOCOL_FEE_SHARE,
    WAD,
    deploy_engine,
    module_id,
)

NAMESPACE = "strata.storage.LiquidationEngine"


def erc7201(ns: str) -> int:
    inner = int.from_bytes(keccak(text=ns), "big") - 1
    return int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF


def word(provider, address, slot: int) -> int:
    return int.from_bytes(bytes(provider.get_storage(address, slot)), "big")


def b32(text: str) -> bytes:
    return text.encode().ljust(32, b"\0")


# -- initialisation ----------------------------------------------------------------------------------------


def test_initialize__after_deploy__parameters_and_modules(market, engine, market_registry):
    assert engine.version() == "1.0.0"
    assert engine.registry() == market_registry.address
    assert engine.pool() == market.pool.address
    assert engine.oracle() == market.oracle.address
    assert engine.closeFactor() == CLOSE_FACTOR
    assert engine.fullLiquidationHealthFactor() == FULL_LIQUIDATION_HF
    assert engine.dustDebtValue() == DUST_DEBT_VALUE
    assert engine.protocolFeeShare() == PROTOCOL_FEE_SHARE
    assert not engine.modulePaused()


def test_initialize__proxy_again__reverts(engine, attacker, market_registry):
    with ape.reverts(engine.InvalidInitialization):
        engine.initialize(market_registry, WAD, 0, 0, 0, sender=attacker)


def test_initialize__bare_implementation__reverts(chain, engine, attacker, market_registry, project):
    implementation = project.LiquidationEngine.at(implementation_of(chain.provider, engine.address))
    with ape.reverts(implementation.InvalidInitialization):
        implementation.initialize(market_registry, WAD, 0, 0, 0, sender=attacker)


def test_initialize__invalid_close_factor__reverts(project, governance, market_registry):
    implementation = governance.deploy(project.LiquidationEngine)
    data = implementation.initialize.encode_input(market_registry, 0, FULL_LIQUIDATION_HF, 0, 0)
    with ape.reverts(implementation.LiquidationEngineInvalidParameter, parameter=b32("closeFactor"), value=0):
        governance.deploy(project.ModuleProxy, implementation, data)


def test_initialize__emits_every_parameter_from_zero(chain, project, governance, market_registry):
    implementation = governance.deploy(project.LiquidationEngine)
    data = implementation.initialize.encode_input(
        market_registry, CLOSE_FACTOR, FULL_LIQUIDATION_HF, DUST_DEBT_VALUE, PROTOCOL_FEE_SHARE
    )
    proxy = governance.deploy(project.ModuleProxy, implementation, data)
    engine = project.LiquidationEngine.at(proxy.address)
    receipt = chain.get_receipt(proxy.txn_hash)
    for event_name, value in (
        ("CloseFactorSet", CLOSE_FACTOR),
        ("FullLiquidationHealthFactorSet", FULL_LIQUIDATION_HF),
        ("DustDebtValueSet", DUST_DEBT_VALUE),
        ("ProtocolFeeShareSet", PROTOCOL_FEE_SHARE),
    ):
        assert [(e.previous, e.current) for e in receipt.decode_logs(getattr(engine, event_name))] == [(0, value)]


def test_initialize__before_pool_registered__needs_sync(project, governance, guardian, market, borrower):
    """An engine deployed before the pool is registered knows no pool; `syncModules` fixes it."""
    from tests.unit.liquidation.market import _proxy

    registry = _proxy(project, governance, project.ModuleRegistry, "initialize", governance, guardian)
    early = deploy_engine(project, governance, registry)
    assert early.pool() == "0x0000000000000000000000000000000000000000"
    assert_call_reverts(
        early.previewLiquidation,
        borrower, market["USDC"].address, market["WBTC"].address, MAX_UINT256,
        error=early.LiquidationEngineModulesNotSynced,
        sender=borrower,
    )
    assert_call_reverts(
        early.syncModules, error=registry.RegistryModuleNotFound, sender=borrower, id=module_id("LENDING_POOL")
    )

    registry.setModule(module_id("LENDING_POOL"), market.pool, sender=governance)
    registry.setModule(module_id("PRICE_ORACLE"), market.oracle, sender=governance)
    receipt = early.syncModules(sender=borrower)  # permissionless

    assert early.pool() == market.pool.address and early.oracle() == market.oracle.address
    event = receipt.decode_logs(early.EngineModulesSynced)[0]
    assert event.pool == market.pool.address and event.oracle == market.oracle.address
    assert event.previousPool == "0x0000000000000000000000000000000000000000"


# -- setters -----------------------------------------------------------------------------------------------

SETTERS = [
    ("setCloseFactor", "closeFactor", "CloseFactorSet", 6 * WAD // 10),
    ("setFullLiquidationHealthFactor", "fullLiquidationHealthFactor", "FullLiquidationHealthFactorSet", 9 * WAD // 10),
    ("setDustDebtValue", "dustDebtValue", "DustDebtValueSet", 250 * WAD),
    ("setProtocolFeeShare", "protocolFeeShare", "ProtocolFeeShareSet", 2 * WAD // 10),
]


@pytest.mark.parametrize("setter, getter, event_name, value", SETTERS, ids=[s[0] for s in SETTERS])
def test_setter__governance__updates_and_emits_old_and_new(engine, governance, setter, getter, event_name, value):
    previous = getattr(engine, getter)()
    receipt = getattr(engine, setter)(value, sender=governance)
    assert getattr(engine, getter)() == value
    events = receipt.decode_logs(getattr(engine, event_name))
    assert [(e.previous, e.current) for e in events] == [(previous, value)]


@pytest.mark.parametrize("setter, getter, event_name, value", SETTERS, ids=[s[0] for s in SETTERS])
def test_setter__not_governance__reverts(engine, guardian, attacker, setter, getter, event_name, value):
    for caller in (attacker, guardian):
        with ape.reverts(engine.StrataUnauthorizedGovernance, caller=caller.address):
            getattr(engine, setter)(value, sender=caller)


@pytest.mark.parametrize(
    "setter, parameter, bad",
    [
        ("setCloseFactor", "closeFactor", 0),
        ("setCloseFactor", "closeFactor", WAD + 1),
        ("setFullLiquidationHealthFactor", "fullLiquidationHealthFactor", WAD + 1),
        ("setDustDebtValue", "dustDebtValue", 2**96),
        ("setProtocolFeeShare", "protocolFeeShare", WAD + 1),
        # Factors are stored in units of 1e-9: finer values are refused rather than silently rounded.
        ("setCloseFactor", "closeFactor", WAD // 2 + 1),
        ("setFullLiquidationHealthFactor", "fullLiquidationHealthFactor", 95 * WAD // 100 + 10**8),
        ("setProtocolFeeShare", "protocolFeeShare", 1),
    ],
)
def test_setter__out_of_range__reverts(engine, governance, setter, parameter, bad):
    with ape.reverts(engine.LiquidationEngineInvalidParameter, parameter=b32(parameter), value=bad):
        getattr(engine, setter)(bad, sender=governance)


def test_setter__bounds_inclusive__accepted(engine, governance):
    engine.setCloseFactor(WAD, sender=governance)
    engine.setFullLiquidationHealthFactor(WAD, sender=governance)
    engine.setDustDebtValue(2**96 - 1, sender=governance)
    engine.setProtocolFeeShare(10**9, sender=governance)  # the finest step
    assert (engine.closeFactor(), engine.fullLiquidationHealthFactor(), engine.dustDebtValue(), engine.protocolFeeShare()) == (
        WAD,
        WAD,
        2**96 - 1,
        10**9,
    )


def test_sync_modules__oracle_replaced_in_registry__engine_follows(project, engine, market, market_registry, governance, outsider):
    from tests.unit.liquidation.market import _proxy

    new_oracle = _proxy(project, governance, project.PriceOracle, "initialize", market_registry)
    market_registry.setModule(module_id("PRICE_ORACLE"), new_oracle, sender=governance)
    assert engine.oracle() == market.oracle.address  # cached until synced
    receipt = engine.syncModules(sender=outsider)
    assert engine.oracle() == new_oracle.address
    event = receipt.decode_logs(engine.EngineModulesSynced)[0]
    assert (event.previousOracle, event.oracle) == (market.oracle.address, new_oracle.address)


# -- proxy hygiene -----------------------------------------------------------------------------------------


def test_storage__erc7201_slot__holds_packed_config(chain, engine, market):
    """The constant in the contract is the ERC-7201 slot of the namespace; the config packs into two slots:
    pool | closeFactor | fullLiquidationHealthFactor | protocolFeeShare (factors in 1e-9), oracle | dust."""
    base = erc7201(NAMESPACE)
    assert base == 0x07DBDF8E6D60B32F98D64F5277AA702BDDA519BE53101D092C749D93F1CB8100
    slot0 = word(chain.provider, engine.address, base)
    slot1 = word(chain.provider, engine.address, base + 1)
    assert to_checksum_address((slot0 & (2**160 - 1)).to_bytes(20, "big")) == market.pool.address
    assert (slot0 >> 160) & (2**32 - 1) == CLOSE_FACTOR // 10**9
    assert (slot0 >> 192) & (2**32 - 1) == FULL_LIQUIDATION_HF // 10**9
    assert slot0 >> 224 == PROTOCOL_FEE_SHARE // 10**9
    assert to_checksum_address((slot1 & (2**160 - 1)).to_bytes(20, "big")) == market.oracle.address
    assert slot1 >> 160 == DUST_DEBT_VALUE
    assert word(chain.provider, engine.address, base + 2) == 0  # nothing else in version 1


def test_upgrade__not_governance__reverts(project, engine, attacker, guardian):
    implementation = attacker.deploy(project.LiquidationEngineV2)
    for caller in (attacker, guardian):
        with ape.reverts(engine.StrataUnauthorizedGovernance):
            engine.upgradeToAndCall(implementation, b"", sender=caller)


def test_pause__attacker__reverts(engine, attacker):
    with ape.reverts(engine.StrataUnauthorizedGuardian):
        engine.pauseModule(sender=attacker)
