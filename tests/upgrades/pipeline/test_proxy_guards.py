"""What the proxies refuse on their own, whatever the pipeline does: an upgrade by anyone but the Timelock, an
upgrade to an address without code, and initialising a bare implementation (or re-running a reinitializer)."""

from __future__ import annotations

import ape
import pytest

from web3.exceptions import ContractLogicError as Web3ContractLogicError

from strata.chain import implementation_of
from strata.governance import decode_revert
from tests.utils.revert_data import revert_bytes

WAD = 10**18


@pytest.fixture(scope="module")
def engine_v2_implementation(project, deployer):
    return deployer.deploy(project.LiquidationEngineV2)


@pytest.mark.parametrize("module", ["liquidation", "oracle", "pool", "flash", "registry"])
def test_upgrade_to_and_call__not_the_timelock__reverts(protocol, engine_v2_implementation, attacker, guardian, deployer, module):
    proxy = getattr(protocol, module)
    for caller in (attacker, guardian, deployer):
        with ape.reverts():
            proxy.upgradeToAndCall(engine_v2_implementation, b"", sender=caller)


def test_upgrade_to_and_call__attacker__reverts_with_governance_error(chain, protocol, engine_v2_implementation, attacker):
    before = implementation_of(chain.provider, protocol.liquidation.address)
    with ape.reverts(protocol.liquidation.StrataUnauthorizedGovernance, caller=attacker.address):
        protocol.liquidation.upgradeToAndCall(engine_v2_implementation, b"", sender=attacker)
    assert implementation_of(chain.provider, protocol.liquidation.address) == before


def test_upgrade_to_and_call__address_without_code__reverts(chain, protocol, timelock_signer, outsider):
    before = implementation_of(chain.provider, protocol.liquidation.address)
    with ape.reverts():
        protocol.liquidation.upgradeToAndCall(outsider, b"", sender=timelock_signer)
    # Solidity checks the code size before `try proxiableUUID()`, so this revert carries no data at all.
    assert revert_data(chain, protocol.liquidation, timelock_signer, outsider) == b""
    assert implementation_of(chain.provider, protocol.liquidation.address) == before


def test_upgrade_to_and_call__contract_that_is_not_uups__reverts(chain, protocol, timelock_signer):
    not_uups = protocol.assets["USDC"]
    with ape.reverts():
        protocol.liquidation.upgradeToAndCall(not_uups, b"", sender=timelock_signer)
    data = revert_data(chain, protocol.liquidation, timelock_signer, not_uups)
    # ape cannot name this error (OpenZeppelin declares it in two places): decoded here.
    assert decode_revert(None, protocol.liquidation, data=data) == (
        "ERC1967InvalidImplementation", {"implementation": not_uups.address}
    )


def revert_data(chain, proxy, sender, implementation) -> bytes:
    data = proxy.upgradeToAndCall.encode_input(implementation, b"")
    with pytest.raises(Web3ContractLogicError) as reverted:
        chain.provider.web3.eth.call({"from": sender.address, "to": proxy.address, "data": data})
    return revert_bytes(reverted.value.data)


def test_upgrade_to_and_call__on_the_implementation_itself__reverts(project, engine_v2_implementation, timelock_signer):
    with ape.reverts(engine_v2_implementation.UUPSUnauthorizedCallContext):
        engine_v2_implementation.upgradeToAndCall(engine_v2_implementation, b"", sender=timelock_signer)


def test_initialize__bare_implementation__reverts(project, engine_v2_implementation, protocol, attacker):
    with ape.reverts(engine_v2_implementation.InvalidInitialization):
        engine_v2_implementation.initialize(protocol.registry, WAD // 2, WAD, 0, 0, sender=attacker)
    with ape.reverts(engine_v2_implementation.InvalidInitialization):
        engine_v2_implementation.initializeV2(WAD // 100, 9 * WAD // 10, sender=attacker)


@pytest.mark.parametrize("name", ["LendingPool", "PriceOracle", "LiquidationEngine", "FlashLoanModule", "ModuleRegistry"])
def test_initialize__recorded_implementation__reverts(project, strata, attacker, name):
    entry = strata.record.require(name)
    implementation = getattr(project, entry.contract).at(entry.implementation)
    inputs = implementation.initialize.abis[0].inputs
    args = [attacker.address if i.type == "address" else 0 for i in inputs]
    with ape.reverts(implementation.InvalidInitialization):
        implementation.initialize(*args, sender=attacker)


def test_initialize_v2__twice_after_upgrade__reverts(project, protocol, engine_v2_implementation, timelock_signer):
    data = engine_v2_implementation.initializeV2.encode_input(WAD // 100, 9 * WAD // 10)
    protocol.liquidation.upgradeToAndCall(engine_v2_implementation, data, sender=timelock_signer)
    engine = project.LiquidationEngineV2.at(protocol.liquidation.address)
    assert engine.auctionStartBonus() == WAD // 100
    with ape.reverts(engine.InvalidInitialization):
        engine.initializeV2(0, 0, sender=timelock_signer)
