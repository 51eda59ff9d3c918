// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./utils/Test.sol";
import {StrataToken} from "../../contracts/governance/StrataToken.sol";
import {StrataGovernor} from "../../contracts/governance/StrataGovernor.sol";
import {StrataTimelock} from "../../contracts/governance/StrataTimelock.sol";
import {ModuleProxy} from "../../contracts/proxy/ModuleProxy.sol";
import {ModuleRegistry} from "../../contracts/registry/ModuleRegistry.sol";
import {IStrataGovernor} from "../../interfaces/IStrataGovernor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @dev Token, Governor and Timelock: a proposal from vote to execution through the Timelock, and the Governor's
///      own upgrade, which only governance may authorise.
contract GovernanceTest is Test {
    uint256 internal constant VOTER_KEY = 0xA11CE;
    address internal voter;
    StrataToken internal token;
    StrataTimelock internal timelock;
    StrataGovernor internal governor;
    ModuleRegistry internal registry;

    function setUp() public {
        vm.roll(100);
        vm.warp(1_700_000_000);
        voter = vm.addr(VOTER_KEY);
        token = new StrataToken(address(this));
        token.transfer(voter, 5_000_000e18);
        timelock = new StrataTimelock(1 hours, new address[](0), new address[](0), address(this));
        governor = StrataGovernor(
            payable(
                address(
                    new ModuleProxy(
                        address(new StrataGovernor()),
                        abi.encodeCall(StrataGovernor.initialize, (address(token), address(timelock), 1, 50, 0, 4))
                    )
                )
            )
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.EXECUTOR_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        registry = ModuleRegistry(
            address(
                new ModuleProxy(
                    address(new ModuleRegistry()),
                    abi.encodeCall(ModuleRegistry.initialize, (address(timelock), address(0x6A)))
                )
            )
        );
        vm.prank(voter);
        token.delegate(voter);
        vm.roll(block.number + 1);
    }

    function _proposal(address target, bytes memory data)
        internal
        pure
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas)
    {
        targets = new address[](1);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        targets[0] = target;
        calldatas[0] = data;
    }

    function _pass(address target, bytes memory data, string memory description) internal {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(target, data);
        vm.prank(voter);
        uint256 id = governor.propose(targets, values, calldatas, description);
        vm.roll(block.number + 2);
        vm.prank(voter);
        governor.castVote(id, 1);
        vm.roll(block.number + 51);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Succeeded), "succeeded");
        assertTrue(governor.proposalNeedsQueuing(id), "needs queuing");
        bytes32 descriptionHash = keccak256(bytes(description));
        governor.queue(targets, values, calldatas, descriptionHash);
        vm.warp(block.timestamp + 1 hours + 1);
        governor.execute(targets, values, calldatas, descriptionHash);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Executed), "executed");
    }

    function test_proposal__vote_queue_execute__changes_registry() public {
        _pass(address(registry), abi.encodeCall(ModuleRegistry.setGuardian, (address(0xBEEF))), "new guardian");
        assertEq(registry.guardian(), address(0xBEEF), "guardian set by the Timelock");
    }

    function test_proposal__cancelled__never_executes() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _proposal(address(registry), abi.encodeCall(ModuleRegistry.setGuardian, (address(0xBEEF))));
        vm.prank(voter);
        uint256 id = governor.propose(targets, values, calldatas, "cancel me");
        vm.prank(voter);
        governor.cancel(targets, values, calldatas, keccak256("cancel me"));
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Canceled), "canceled");
    }

    function test_governor__settings_and_upgrade_authorisation() public {
        assertEq(governor.version(), "1.0.0", "version");
        assertEq(governor.votingDelay(), 1, "delay");
        assertEq(governor.votingPeriod(), 50, "period");
        assertEq(governor.proposalThreshold(), 0, "threshold");
        assertEq(governor.quorumNumerator(), 4, "quorum");
        address impl = address(new StrataGovernor());
        vm.expectRevert();
        UUPSUpgradeable(address(governor)).upgradeToAndCall(impl, "");
        _pass(address(governor), abi.encodeCall(UUPSUpgradeable.upgradeToAndCall, (impl, "")), "upgrade governor");
    }

    function test_governor__zero_addresses__revert() public {
        address impl = address(new StrataGovernor());
        vm.expectRevert(IStrataGovernor.StrataGovernorZeroAddress.selector);
        new ModuleProxy(impl, abi.encodeCall(StrataGovernor.initialize, (address(0), address(timelock), 1, 50, 0, 4)));
        vm.expectRevert(IStrataGovernor.StrataGovernorZeroAddress.selector);
        new ModuleProxy(impl, abi.encodeCall(StrataGovernor.initialize, (address(token), address(0), 1, 50, 0, 4)));
    }

    function test_token__votes_and_permit() public {
        assertEq(token.totalSupply(), token.TOTAL_SUPPLY(), "supply");
        assertEq(token.getVotes(voter), 5_000_000e18, "votes");
        // A transfer after the snapshot moves votes only from then on.
        vm.prank(voter);
        token.transfer(address(0xCAFE), 1e18);
        assertEq(token.getVotes(voter), 5_000_000e18 - 1e18, "votes follow balance");
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                token.DOMAIN_SEPARATOR(),
                keccak256(
                    abi.encode(
                        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                        voter,
                        address(this),
                        1e18,
                        token.nonces(voter),
                        block.timestamp
                    )
                )
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(VOTER_KEY, digest);
        token.permit(voter, address(this), 1e18, block.timestamp, v, r, s);
        assertEq(token.allowance(voter, address(this)), 1e18, "permit");
        assertEq(token.nonces(voter), 1, "nonce");
    }
}
