"""The governance stack as deployed: settings, roles (deployer keeps none), proxy and initialisers."""

from eth_utils import to_checksum_address

from strata import governance as gov

ROLES = gov.TIMELOCK_ROLES
IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)


def test_governor__after_initialize__has_the_deploy_parameters(params, governor, token, timelock):
    assert governor.name() == "StrataGovernor"
    assert governor.version() == "1.0.0"
    assert governor.token() == token.address
    assert governor.timelock() == timelock.address
    assert governor.votingDelay() == params.voting_delay
    assert governor.votingPeriod() == params.voting_period
    assert governor.proposalThreshold() == params.proposal_threshold
    assert governor.quorumNumerator() == params.quorum_numerator
    assert governor.quorumDenominator() == 100
    assert timelock.getMinDelay() == params.timelock_delay


def test_governor__clock__follows_the_token_block_number(governor, token, chain):
    assert token.CLOCK_MODE() == "mode=blocknumber&from=default"
    assert governor.CLOCK_MODE() == token.CLOCK_MODE()
    assert governor.clock() == chain.blocks.head.number


def test_governor__eip712_domain__uses_the_release_version(governor):
    domain = governor.eip712Domain()
    assert domain.name == "StrataGovernor"
    assert domain.version == "1.0.0"
    assert domain.verifyingContract == governor.address


def test_timelock_roles__after_setup__match_the_intended_holders_exactly(timelock, governor, guardian):
    assert gov.check_timelock_roles(timelock, governor, guardian) == []
    holders = gov.timelock_role_holders(timelock)
    assert holders["DEFAULT_ADMIN_ROLE"] == {timelock.address}
    assert holders["PROPOSER_ROLE"] == {governor.address}
    assert holders["EXECUTOR_ROLE"] == {governor.address}
    assert holders["CANCELLER_ROLE"] == {governor.address, guardian.address}


def test_timelock_roles__after_setup__deployer_keeps_none(timelock, deployer):
    for name, role in ROLES.items():
        assert not timelock.hasRole(role, deployer), f"deployer still holds {name}"


def test_timelock_roles__after_setup__guardian_is_only_a_canceller(timelock, guardian):
    held = {name for name, role in ROLES.items() if timelock.hasRole(role, guardian)}
    assert held == {"CANCELLER_ROLE"}


def test_timelock_roles__execution__is_not_open_to_everyone(timelock):
    # address(0) holding EXECUTOR_ROLE would let anyone execute ready operations, bypassing Governor.execute.
    assert not timelock.hasRole(ROLES["EXECUTOR_ROLE"], "0x0000000000000000000000000000000000000000")


def test_timelock__role_admin__is_default_admin_held_by_the_timelock_only(timelock):
    for role in ROLES.values():
        assert timelock.getRoleAdmin(role) == ROLES["DEFAULT_ADMIN_ROLE"]
    assert timelock.hasRole(ROLES["DEFAULT_ADMIN_ROLE"], timelock)


def test_registry__after_setup__is_governed_by_the_timelock(registry, timelock, governor, token, guardian):
    assert registry.governance() == timelock.address
    assert registry.guardian() == guardian.address
    assert registry.moduleOf(b"GOVERNOR".ljust(32, b"\0")) == governor.address
    assert registry.moduleOf(b"TIMELOCK".ljust(32, b"\0")) == timelock.address
    assert registry.moduleOf(b"GOVERNANCE_TOKEN".ljust(32, b"\0")) == token.address


def test_governor_proxy__implementation_slot__points_at_the_implementation(governor, governor_impl, chain):
    raw = chain.provider.get_storage(governor.address, IMPLEMENTATION_SLOT)
    assert to_checksum_address(bytes(raw)[-20:]) == governor_impl.address


def test_governor_implementation__initialize__reverts(params, governor_impl, token, timelock, attacker, strict_reverts):
    with strict_reverts(governor_impl.InvalidInitialization):
        governor_impl.initialize(token, timelock, *params.initialize_args(), sender=attacker)


def test_governor_proxy__initialize_again__reverts(params, governor, token, attacker, strict_reverts):
    # An attacker re-initialising with their own token and timelock would own governance.
    with strict_reverts(governor.InvalidInitialization):
        governor.initialize(token, attacker, *params.initialize_args(), sender=attacker)


def test_governor_proxy__initialize_with_zero_timelock__reverts(params, 
    project, deployer, governor_impl, token, strict_reverts
):
    # OZ 5.4's ERC1967Proxy accepts empty init data: initialise in a second call to see the error decoded.
    proxy = deployer.deploy(project.ModuleProxy, governor_impl, b"")
    bare = project.StrataGovernor.at(proxy.address)
    with strict_reverts(bare.StrataGovernorZeroAddress):
        bare.initialize(token, "0x0000000000000000000000000000000000000000", *params.initialize_args(), sender=deployer)


def test_governor_proxy__initialize_with_quorum_above_100__reverts(params, 
    project, deployer, governor_impl, token, timelock, strict_reverts
):
    proxy = deployer.deploy(project.ModuleProxy, governor_impl, b"")
    bare = project.StrataGovernor.at(proxy.address)
    args = (params.voting_delay, params.voting_period, params.proposal_threshold, 101)
    with strict_reverts(bare.GovernorInvalidQuorumFraction):
        bare.initialize(token, timelock, *args, sender=deployer)


def test_setup_timelock_roles__rerun__changes_nothing(params, project, deployer, guardian, governor):
    fresh = deployer.deploy(project.StrataTimelock, params.timelock_delay, [], [], deployer)
    first = gov.setup_timelock_roles(fresh, governor, guardian, deployer)
    assert len(first) == 5  # four grants and the renounce
    assert gov.setup_timelock_roles(fresh, governor, guardian, deployer) == []
    assert gov.check_timelock_roles(fresh, governor, guardian) == []


def test_setup_timelock_roles__interrupted_before_renounce__resumes(params, project, deployer, guardian, governor):
    fresh = deployer.deploy(project.StrataTimelock, params.timelock_delay, [], [], deployer)
    fresh.grantRole(ROLES["PROPOSER_ROLE"], governor, sender=deployer)  # a crashed first run
    done = gov.setup_timelock_roles(fresh, governor, guardian, deployer)
    assert not any("PROPOSER_ROLE" in line for line in done)
    assert gov.check_timelock_roles(fresh, governor, guardian) == []


def test_setup_timelock_roles__admin_already_renounced_with_roles_missing__raises(params, 
    project, deployer, guardian, governor
):
    fresh = deployer.deploy(project.StrataTimelock, params.timelock_delay, [], [], deployer)
    fresh.renounceRole(ROLES["DEFAULT_ADMIN_ROLE"], deployer, sender=deployer)
    try:
        gov.setup_timelock_roles(fresh, governor, guardian, deployer)
    except gov.GovernanceError as err:
        assert "only a governance proposal can grant them" in str(err)
    else:
        raise AssertionError("expected GovernanceError")


def test_check_timelock_roles__extra_proposer__is_reported(params, project, deployer, guardian, governor, attacker):
    fresh = deployer.deploy(project.StrataTimelock, params.timelock_delay, [attacker], [], deployer)
    gov.setup_timelock_roles(fresh, governor, guardian, deployer)
    problems = gov.check_timelock_roles(fresh, governor, guardian)
    assert f"PROPOSER_ROLE also held by {attacker.address}" in problems
    assert f"CANCELLER_ROLE also held by {attacker.address}" in problems
