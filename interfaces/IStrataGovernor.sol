// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title IStrataGovernor
/// @notice What Strata adds to OpenZeppelin's Governor: a one-shot initializer behind a UUPS proxy and a
///         release version. Everything else (propose, castVote, queue, execute, cancel, state, settings
///         setters) is OpenZeppelin's `IGovernor` plus the Settings, CountingSimple, Votes, QuorumFraction and
///         TimelockControl extensions.
/// @dev Governance decisions are executed by the Timelock (`timelock()`), never by the Governor itself: the
///      Timelock holds every protocol role. The Governor's own settings and its implementation can only be
///      changed by a proposal that targets the Governor and is executed through `execute` (OpenZeppelin's
///      `onlyGovernance` checks both the caller, the Timelock, and that the call was whitelisted by the
///      proposal being executed).
///      Voting power is read from the token's checkpoints at the proposal's snapshot (`proposalSnapshot`), so
///      tokens bought, borrowed or flash-lent after the snapshot carry no weight for that proposal. Units of
///      `votingDelay`, `votingPeriod` and snapshots follow the token's ERC-6372 clock (`CLOCK_MODE()`): block
///      numbers for `StrataToken`.
interface IStrataGovernor {
    /// @notice A zero address was given for the token or the timelock.
    error StrataGovernorZeroAddress();

    /// @notice Initialises the Governor behind its proxy. Callable once.
    /// @dev The implementation contract disables its own initializers in its constructor: only a proxy can
    ///      be initialised. After this call the Timelock must grant the Governor its PROPOSER, EXECUTOR and
    ///      CANCELLER roles, otherwise no proposal can be queued.
    /// @param token The ERC-5805 votes token (`StrataToken`); its clock sets the unit of the durations below.
    /// @param timelock The `TimelockController` that executes queued proposals and holds the protocol's roles.
    /// @param votingDelay Clock units between a proposal's creation and its snapshot (the start of voting).
    /// @param votingPeriod Clock units during which votes are accepted (must be non-zero).
    /// @param proposalThreshold Votes (token units, 18 decimals) a proposer needs at the previous clock tick.
    /// @param quorumNumerator Quorum as a percentage of the token's total supply at the snapshot (0-100).
    function initialize(
        address token,
        address timelock,
        uint48 votingDelay,
        uint32 votingPeriod,
        uint256 proposalThreshold,
        uint256 quorumNumerator
    ) external;

    /// @notice Release version of the implementation behind the proxy, e.g. "1.0.0".
    /// @dev Also the EIP-712 domain version fixed at initialisation; an upgrade that bumps `version()` does
    ///      not change the domain of already-initialised proxies. Signers should read `eip712Domain()`.
    /// @return The semantic version string.
    function version() external view returns (string memory);
}
