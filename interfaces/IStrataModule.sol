// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title IStrataModule
/// @notice What every upgradeable Strata module exposes: its version, the registry it trusts for roles,
///         and a module-wide pause that only the guardian or governance can set and only governance can lift.
interface IStrataModule {
    /// @notice The caller is not the governance address named by the registry.
    error StrataUnauthorizedGovernance(address caller);
    /// @notice The caller is neither the guardian nor governance.
    error StrataUnauthorizedGuardian(address caller);
    /// @notice The caller is not the module the registry names for this restricted entry point.
    error StrataUnauthorizedModule(address caller, bytes32 expectedModule);
    /// @notice A zero address was given where a contract or account is required.
    error StrataZeroAddress();
    /// @notice The whole module is paused.
    error StrataModulePaused();

    /// @notice Emitted when the guardian or governance pauses the whole module.
    event ModulePaused(address indexed by);
    /// @notice Emitted when governance lifts the module-wide pause.
    event ModuleUnpaused(address indexed by);

    /// @notice Human-readable version of the implementation behind the proxy, e.g. "1.0.0".
    /// @return The semantic version string of the current implementation.
    function version() external view returns (string memory);

    /// @notice The module registry this module takes its roles and peer modules from.
    /// @return The registry's proxy address.
    function registry() external view returns (address);

    /// @notice Whether the whole module is paused.
    /// @return True when paused.
    function modulePaused() external view returns (bool);

    /// @notice Stops every state-changing user entry point of the module.
    /// @dev Callable by the guardian or governance. Idempotent.
    function pauseModule() external;

    /// @notice Lifts the module-wide pause.
    /// @dev Callable by governance only: a guardian can stop, never restart.
    function unpauseModule() external;
}
