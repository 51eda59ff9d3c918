"""After deployment no deployer key keeps any power: every role, admin and proxy slot, enumerated."""

from __future__ import annotations

import ape
import pytest

from strata import governance as gov
from strata.chain import implementation_of
from strata.modules import MODULES, module_id_bytes

PROXIED = [spec for spec in MODULES if spec.proxied]


def _contract(project, strata, name):
    entry = strata.record.require(name)
    return getattr(project, entry.contract).at(entry.address)


def test_registry__after_deploy__governed_by_timelock(protocol, guardian):
    assert protocol.registry.governance() == protocol.timelock.address
    assert protocol.registry.guardian() == guardian.address


def test_registry__names_every_module(protocol, strata):
    for spec in MODULES:
        if spec.module_id:
            assert protocol.registry.moduleOf(module_id_bytes(spec.module_id)) == strata.record.require(spec.name).address


def test_timelock__roles__only_governor_and_guardian(protocol, deployer, guardian):
    holders = gov.timelock_role_holders(protocol.timelock)
    governor = protocol.governor.address
    assert holders["DEFAULT_ADMIN_ROLE"] == {protocol.timelock.address}
    assert holders["PROPOSER_ROLE"] == {governor}
    assert holders["EXECUTOR_ROLE"] == {governor}
    assert holders["CANCELLER_ROLE"] == {governor, guardian.address}
    for role in gov.TIMELOCK_ROLES.values():
        assert not protocol.timelock.hasRole(role, deployer)


def test_token__deployer_holds_nothing(protocol, deployer):
    assert protocol.token.balanceOf(deployer) == 0
    assert protocol.token.getVotes(deployer) == 0


def test_governor__bound_to_timelock_and_token(protocol):
    assert protocol.governor.timelock() == protocol.timelock.address
    assert protocol.governor.token() == protocol.token.address


@pytest.mark.parametrize("spec", PROXIED, ids=lambda s: s.name)
def test_proxy__implementation_slot_matches_record(spec, strata, chain):
    entry = strata.record.require(spec.name)
    assert implementation_of(chain.provider, entry.address) == entry.implementation


@pytest.mark.parametrize("spec", PROXIED, ids=lambda s: s.name)
@pytest.mark.parametrize("who", ["deployer", "guardian", "attacker"])
def test_proxy__upgrade_by_anyone_but_timelock__reverts(spec, who, request, project, strata, chain):
    caller = request.getfixturevalue(who)
    module = _contract(project, strata, spec.name)
    before = implementation_of(chain.provider, module.address)
    new_implementation = strata.record.require(f"{spec.name}Implementation").address
    with ape.reverts():
        module.upgradeToAndCall(new_implementation, b"", sender=caller)
    assert implementation_of(chain.provider, module.address) == before


@pytest.mark.parametrize("spec", PROXIED, ids=lambda s: s.name)
def test_proxy__initialize_again__reverts(spec, project, strata, attacker):
    module = _contract(project, strata, spec.name)
    implementation = getattr(project, spec.contract).at(strata.record.require(f"{spec.name}Implementation").address)
    for target in (module, implementation):
        with ape.reverts(target.InvalidInitialization):
            _call_initialize(target, attacker)


def _call_initialize(contract, sender):
    abi = next(a for a in contract.contract_type.abi if getattr(a, "name", None) == "initialize")
    args = [_dummy(inp.type, sender) for inp in abi.inputs]
    return contract.initialize(*args, sender=sender)


def _dummy(solidity_type: str, sender):
    if solidity_type == "address":
        return sender.address
    if solidity_type.endswith("[]"):
        return []
    return 1


def test_governance_setters__deployer__revert(protocol, deployer):
    usdc = protocol.assets["USDC"]
    registry_err = protocol.registry.RegistryUnauthorized
    with ape.reverts(registry_err):
        protocol.registry.setGuardian(deployer, sender=deployer)
    with ape.reverts(protocol.pool.StrataUnauthorizedGovernance):
        protocol.pool.setReserveConfig(usdc, protocol.pool.getReserveConfig(usdc), sender=deployer)
    with ape.reverts(protocol.oracle.StrataUnauthorizedGovernance):
        protocol.oracle.removeFeed(usdc, sender=deployer)
    with ape.reverts(protocol.liquidation.StrataUnauthorizedGovernance):
        protocol.liquidation.setCloseFactor(10**18, sender=deployer)
    with ape.reverts(protocol.flash.StrataUnauthorizedGovernance):
        protocol.flash.setFlashFee(usdc, 0, sender=deployer)
