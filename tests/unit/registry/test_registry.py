"""ModuleRegistry: roles, module bookkeeping, proxy hygiene and upgrades."""

import ape
import pytest
from eth_utils import to_checksum_address

from strata.chain import implementation_of
from strata.modules import module_id_bytes

POOL_ID = module_id_bytes("LENDING_POOL")
ORACLE_ID = module_id_bytes("PRICE_ORACLE")


@pytest.fixture
def registry(project, deployer, guardian):
    """A registry of its own, governed by the deployer (the protocol's registry belongs to the Timelock)."""
    implementation = deployer.deploy(project.ModuleRegistry)
    init = implementation.initialize.encode_input(deployer, guardian)
    proxy = deployer.deploy(project.ModuleProxy, implementation, init)
    return project.ModuleRegistry.at(proxy.address)


@pytest.fixture
def some_contract(project, deployer):
    """Any contract with code stands in for a module here."""
    return deployer.deploy(project.ModuleRegistry)


def test_initialize__after_deploy__sets_roles(registry, deployer, guardian):
    assert registry.governance() == deployer.address
    assert registry.guardian() == guardian.address
    assert registry.version() == "1.0.0"


def test_initialize__proxy_again__reverts(registry, deployer, guardian):
    with ape.reverts(registry.InvalidInitialization):
        registry.initialize(deployer, guardian, sender=deployer)


def test_initialize__bare_implementation__reverts(registry, project, attacker, chain):
    implementation = project.ModuleRegistry.at(implementation_of(chain.provider, registry.address))
    with ape.reverts(implementation.InvalidInitialization):
        implementation.initialize(attacker, attacker, sender=attacker)


def test_set_module__governance__registers_and_emits(registry, deployer, some_contract):
    receipt = registry.setModule(POOL_ID, some_contract, sender=deployer)
    assert registry.moduleOf(POOL_ID) == some_contract.address
    assert registry.requireModule(POOL_ID) == some_contract.address
    assert list(registry.moduleIds()) == [POOL_ID]
    assert receipt.events == [registry.ModuleSet(id=POOL_ID, previous=ape.utils.ZERO_ADDRESS, current=some_contract)]


def test_set_module__replace__emits_previous(registry, deployer, some_contract, project):
    registry.setModule(POOL_ID, some_contract, sender=deployer)
    other = deployer.deploy(project.ModuleRegistry)
    receipt = registry.setModule(POOL_ID, other, sender=deployer)
    assert receipt.events == [registry.ModuleSet(id=POOL_ID, previous=some_contract, current=other)]
    assert list(registry.moduleIds()) == [POOL_ID]


@pytest.mark.parametrize("who", ["guardian", "attacker"])
def test_set_module__not_governance__reverts(registry, some_contract, who, request):
    caller = request.getfixturevalue(who)
    with ape.reverts(registry.RegistryUnauthorized, caller=caller.address):
        registry.setModule(POOL_ID, some_contract, sender=caller)


def test_set_module__eoa__reverts(registry, deployer, outsider):
    with ape.reverts(registry.RegistryModuleNotContract, id=POOL_ID, module=outsider.address):
        registry.setModule(POOL_ID, outsider, sender=deployer)


def test_set_module__zero_id_or_address__reverts(registry, deployer, some_contract):
    with ape.reverts(registry.RegistryZeroModuleId):
        registry.setModule(b"\0" * 32, some_contract, sender=deployer)
    with ape.reverts(registry.RegistryZeroAddress):
        registry.setModule(POOL_ID, ape.utils.ZERO_ADDRESS, sender=deployer)


def test_require_module__unknown__reverts(registry):
    with ape.reverts(registry.RegistryModuleNotFound, id=ORACLE_ID):
        registry.requireModule(ORACLE_ID)
    assert registry.moduleOf(ORACLE_ID) == ape.utils.ZERO_ADDRESS


def test_remove_module__registered__forgets_it(registry, deployer, some_contract):
    registry.setModule(POOL_ID, some_contract, sender=deployer)
    registry.setModule(ORACLE_ID, some_contract, sender=deployer)
    receipt = registry.removeModule(POOL_ID, sender=deployer)
    assert receipt.events == [registry.ModuleRemoved(id=POOL_ID, previous=some_contract)]
    assert list(registry.moduleIds()) == [ORACLE_ID]
    with ape.reverts(registry.RegistryModuleNotFound):
        registry.removeModule(POOL_ID, sender=deployer)


def test_remove_module__not_governance__reverts(registry, deployer, guardian, some_contract):
    registry.setModule(POOL_ID, some_contract, sender=deployer)
    with ape.reverts(registry.RegistryUnauthorized):
        registry.removeModule(POOL_ID, sender=guardian)


def test_transfer_governance__old_governance_loses_power(registry, deployer, outsider, some_contract):
    receipt = registry.transferGovernance(outsider, sender=deployer)
    assert receipt.events == [registry.GovernanceTransferred(previous=deployer, current=outsider)]
    with ape.reverts(registry.RegistryUnauthorized):
        registry.setModule(POOL_ID, some_contract, sender=deployer)
    registry.setModule(POOL_ID, some_contract, sender=outsider)


def test_set_guardian__governance_only(registry, deployer, guardian, outsider):
    with ape.reverts(registry.RegistryUnauthorized):
        registry.setGuardian(outsider, sender=guardian)
    receipt = registry.setGuardian(outsider, sender=deployer)
    assert receipt.events == [registry.GuardianSet(previous=guardian, current=outsider)]
    assert registry.guardian() == outsider.address


def test_upgrade__governance__keeps_state(registry, deployer, guardian, some_contract, project, chain):
    registry.setModule(POOL_ID, some_contract, sender=deployer)
    v2 = deployer.deploy(project.ModuleRegistryV2Mock)
    registry.upgradeToAndCall(v2, b"", sender=deployer)
    upgraded = project.ModuleRegistryV2Mock.at(registry.address)
    assert implementation_of(chain.provider, registry.address) == v2.address
    assert upgraded.isV2() is True
    assert upgraded.version() == "2.0.0-mock"
    assert upgraded.moduleOf(POOL_ID) == some_contract.address
    assert upgraded.governance() == deployer.address
    assert upgraded.guardian() == guardian.address


@pytest.mark.parametrize("who", ["guardian", "attacker"])
def test_upgrade__not_governance__reverts(registry, project, deployer, who, request):
    caller = request.getfixturevalue(who)
    v2 = deployer.deploy(project.ModuleRegistryV2Mock)
    with ape.reverts(registry.RegistryUnauthorized):
        registry.upgradeToAndCall(v2, b"", sender=caller)


def test_upgrade__to_address_without_code__reverts(registry, deployer, outsider, chain):
    before = implementation_of(chain.provider, registry.address)
    with ape.reverts():
        registry.upgradeToAndCall(outsider, b"", sender=deployer)
    assert implementation_of(chain.provider, registry.address) == to_checksum_address(before)


def test_upgrade__to_non_uups_contract__reverts(registry, deployer, guardian, project, chain):
    # A proxy is a contract without a usable proxiableUUID: upgrading to it would brick the registry.
    implementation = implementation_of(chain.provider, registry.address)
    init = registry.initialize.encode_input(deployer, guardian)
    non_uups = deployer.deploy(project.ModuleProxy, implementation, init)
    with ape.reverts() as revert:
        registry.upgradeToAndCall(non_uups, b"", sender=deployer)
    # OZ declares this error twice in the ABI (ERC1967Utils and IERC1967), so match it by name.
    assert type(revert.value).__name__ == "ERC1967InvalidImplementation"
