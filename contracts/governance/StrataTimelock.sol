// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title StrataTimelock
/// @notice Executes Strata's governance decisions after a minimum delay; holds the `governance` role of the
///         module registry, hence every admin power in the protocol.
/// @dev Plain OpenZeppelin TimelockController, not upgradeable: the contract that can upgrade everything else
///      should not itself be swappable. Intended roles once deployment ends:
///        - PROPOSER_ROLE: the Governor only (a proposal is the only way to schedule).
///        - EXECUTOR_ROLE: the Governor only. Not open: a Governor-targeted operation (its settings, its
///          upgrade) only passes `onlyGovernance` when run through `Governor.execute`, and one executor keeps
///          the Governor's proposal state and the Timelock's operation state in step.
///        - CANCELLER_ROLE: the Governor and the guardian (the guardian can veto a queued operation during
///          the delay, nothing else).
///        - DEFAULT_ADMIN_ROLE: the Timelock itself only; the deployer's admin, passed as `admin` to wire the
///          roles above, is renounced at the end of deployment. Role changes afterwards are proposals.
///      The Governor's address is not known when this contract is deployed (the Governor is initialised with
///      the Timelock's), hence the temporary admin instead of constructor-time proposers.
contract StrataTimelock is TimelockController {
    /* CONSTRUCTOR / INITIALIZER */

    /// @param minDelay Seconds between queueing and the earliest execution (changeable by `updateDelay` through
    ///        the Timelock itself).
    /// @param proposers Granted PROPOSER_ROLE and CANCELLER_ROLE (empty at Strata's deployment).
    /// @param executors Granted EXECUTOR_ROLE (empty at Strata's deployment; address(0) would open execution).
    /// @param admin Optional temporary admin that wires the roles and then renounces DEFAULT_ADMIN_ROLE.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
