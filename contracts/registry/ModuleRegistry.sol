// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IModuleRegistry} from "../../interfaces/IModuleRegistry.sol";

/// @title ModuleRegistry
/// @notice Module id → address, plus the protocol's two roles (governance and guardian).
/// @dev Behind its own UUPS proxy; upgrades are authorised by governance like any module's.
contract ModuleRegistry is Initializable, UUPSUpgradeable, IModuleRegistry {
    /* CONSTANTS */

    string public constant VERSION = "1.0.0";

    /* STORAGE */

    /// @custom:storage-location erc7201:strata.storage.ModuleRegistry
    struct ModuleRegistryStorage {
        address governance;
        address guardian;
        mapping(bytes32 id => address module) modules;
        bytes32[] ids;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.ModuleRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MODULE_REGISTRY_STORAGE_LOCATION =
        0xd0c0dcb5c1cd79845f9c6f4de5471d2eb9b1367a8e4f7a0775096e64320a5100;

    /* CONSTRUCTOR / INITIALIZER */

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initialises the registry behind its proxy.
    /// @param governance_ The first governance address (the deployer, until it hands over to the Timelock).
    /// @param guardian_ The guardian address.
    function initialize(address governance_, address guardian_) external initializer {
        require(governance_ != address(0) && guardian_ != address(0), RegistryZeroAddress());
        ModuleRegistryStorage storage $ = _getStorage();
        $.governance = governance_;
        $.guardian = guardian_;
        emit GovernanceTransferred(address(0), governance_);
        emit GuardianSet(address(0), guardian_);
    }

    /* MODIFIERS */

    modifier onlyGovernance() {
        require(msg.sender == _getStorage().governance, RegistryUnauthorized(msg.sender));
        _;
    }

    /* MODULES */

    /// @inheritdoc IModuleRegistry
    function setModule(bytes32 id, address module) external onlyGovernance {
        require(id != bytes32(0), RegistryZeroModuleId());
        require(module != address(0), RegistryZeroAddress());
        require(module.code.length > 0, RegistryModuleNotContract(id, module));
        ModuleRegistryStorage storage $ = _getStorage();
        address previous = $.modules[id];
        if (previous == address(0)) $.ids.push(id);
        $.modules[id] = module;
        emit ModuleSet(id, previous, module);
    }

    /// @inheritdoc IModuleRegistry
    function removeModule(bytes32 id) external onlyGovernance {
        ModuleRegistryStorage storage $ = _getStorage();
        address previous = $.modules[id];
        require(previous != address(0), RegistryModuleNotFound(id));
        delete $.modules[id];
        uint256 last = $.ids.length - 1;
        for (uint256 i; i <= last; ++i) {
            if ($.ids[i] == id) {
                $.ids[i] = $.ids[last];
                $.ids.pop();
                break;
            }
        }
        emit ModuleRemoved(id, previous);
    }

    /* ROLES */

    /// @inheritdoc IModuleRegistry
    function transferGovernance(address newGovernance) external onlyGovernance {
        require(newGovernance != address(0), RegistryZeroAddress());
        ModuleRegistryStorage storage $ = _getStorage();
        address previous = $.governance;
        $.governance = newGovernance;
        emit GovernanceTransferred(previous, newGovernance);
    }

    /// @inheritdoc IModuleRegistry
    function setGuardian(address newGuardian) external onlyGovernance {
        require(newGuardian != address(0), RegistryZeroAddress());
        ModuleRegistryStorage storage $ = _getStorage();
        address previous = $.guardian;
        $.guardian = newGuardian;
        emit GuardianSet(previous, newGuardian);
    }

    /* VIEW */

    /// @notice Version of this implementation.
    /// @return The semantic version string.
    function version() external pure virtual returns (string memory) {
        return VERSION;
    }

    /// @inheritdoc IModuleRegistry
    function governance() external view returns (address) {
        return _getStorage().governance;
    }

    /// @inheritdoc IModuleRegistry
    function guardian() external view returns (address) {
        return _getStorage().guardian;
    }

    /// @inheritdoc IModuleRegistry
    function moduleOf(bytes32 id) external view returns (address) {
        return _getStorage().modules[id];
    }

    /// @inheritdoc IModuleRegistry
    function requireModule(bytes32 id) external view returns (address module) {
        module = _getStorage().modules[id];
        require(module != address(0), RegistryModuleNotFound(id));
    }

    /// @inheritdoc IModuleRegistry
    function moduleIds() external view returns (bytes32[] memory) {
        return _getStorage().ids;
    }

    /* INTERNAL */

    function _authorizeUpgrade(address) internal view override onlyGovernance {}

    function _getStorage() private pure returns (ModuleRegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := MODULE_REGISTRY_STORAGE_LOCATION
        }
    }
}
