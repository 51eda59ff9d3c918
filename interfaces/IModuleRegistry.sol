// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title IModuleRegistry
/// @notice The one place Strata's modules find each other and their roles: module id → address,
///         the governance address (the Timelock once governance is deployed) and the guardian.
/// @dev Every module reads `governance()` and `guardian()` from here, so handing the protocol to the
///      Timelock is one call. Module ids are the constants of `ModuleIds`.
interface IModuleRegistry {
    /// @notice The caller is not the governance address.
    error RegistryUnauthorized(address caller);
    /// @notice A zero address was given for a role or module.
    error RegistryZeroAddress();
    /// @notice A zero module id was given.
    error RegistryZeroModuleId();
    /// @notice No module is registered under `id`.
    error RegistryModuleNotFound(bytes32 id);
    /// @notice `module` has no code; only contracts can be registered.
    error RegistryModuleNotContract(bytes32 id, address module);

    /// @notice Emitted when a module id is pointed at a new address (or its first one).
    /// @param id The module id.
    /// @param previous The address registered before (zero for a new id).
    /// @param current The address registered now.
    event ModuleSet(bytes32 indexed id, address indexed previous, address indexed current);
    /// @notice Emitted when a module id is removed.
    /// @param id The module id.
    /// @param previous The address that was registered.
    event ModuleRemoved(bytes32 indexed id, address indexed previous);
    /// @notice Emitted when governance is handed to a new address.
    event GovernanceTransferred(address indexed previous, address indexed current);
    /// @notice Emitted when the guardian changes.
    event GuardianSet(address indexed previous, address indexed current);

    /// @notice The address allowed to change modules, parameters and implementations.
    /// @return The governance address (the Timelock after deployment).
    function governance() external view returns (address);

    /// @notice The address allowed to pause and to cancel queued governance operations, nothing else.
    /// @return The guardian address.
    function guardian() external view returns (address);

    /// @notice The address registered under `id`, or zero when none is.
    /// @param id The module id.
    /// @return The module's address (its proxy for stateful modules).
    function moduleOf(bytes32 id) external view returns (address);

    /// @notice The address registered under `id`; reverts with `RegistryModuleNotFound` when none is.
    /// @param id The module id.
    /// @return The module's address.
    function requireModule(bytes32 id) external view returns (address);

    /// @notice Every registered module id, in registration order.
    /// @return ids The module ids.
    function moduleIds() external view returns (bytes32[] memory ids);

    /// @notice Registers `module` under `id`, replacing any previous address.
    /// @dev Governance only. `module` must be a contract.
    /// @param id The module id.
    /// @param module The module's address.
    function setModule(bytes32 id, address module) external;

    /// @notice Removes the module registered under `id`.
    /// @dev Governance only.
    /// @param id The module id.
    function removeModule(bytes32 id) external;

    /// @notice Hands governance to `newGovernance`.
    /// @dev Governance only. Deployment ends by handing it to the Timelock.
    /// @param newGovernance The new governance address.
    function transferGovernance(address newGovernance) external;

    /// @notice Sets the guardian.
    /// @dev Governance only.
    /// @param newGuardian The new guardian address.
    function setGuardian(address newGuardian) external;
}
