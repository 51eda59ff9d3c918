// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IModuleRegistry} from "../../interfaces/IModuleRegistry.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";

/// @title StrataModule
/// @notice Base of every upgradeable Strata module: UUPS upgrades authorised by governance only, roles read
///         from the module registry, and a module-wide pause (guardian or governance pause, governance unpause).
/// @dev Inheritors call `__StrataModule_init(registry)` from their initializer and implement `version()`.
abstract contract StrataModule is Initializable, UUPSUpgradeable, IStrataModule {
    /* STORAGE */

    /// @custom:storage-location erc7201:strata.storage.StrataModule
    struct StrataModuleStorage {
        IModuleRegistry registry;
        bool paused;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.StrataModule")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STRATA_MODULE_STORAGE_LOCATION =
        0x58d6b9d31e505f6bafeca985ab883ea3441dbedab7e7e4b16dc9471dc234b400;

    /* CONSTRUCTOR / INITIALIZER */

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        // The implementation itself must never be initialised (Parity/Wormhole): only proxies are.
        _disableInitializers();
    }

    function __StrataModule_init(address registry_) internal onlyInitializing {
        require(registry_ != address(0), StrataZeroAddress());
        _getStrataModuleStorage().registry = IModuleRegistry(registry_);
    }

    /* MODIFIERS */

    modifier onlyGovernance() {
        _checkGovernance();
        _;
    }

    modifier onlyGuardianOrGovernance() {
        _checkGuardianOrGovernance();
        _;
    }

    modifier whenModuleNotPaused() {
        require(!modulePaused(), StrataModulePaused());
        _;
    }

    /* PAUSE */

    /// @inheritdoc IStrataModule
    function pauseModule() external onlyGuardianOrGovernance {
        _setModulePaused(true);
        emit ModulePaused(msg.sender);
    }

    /// @inheritdoc IStrataModule
    function unpauseModule() external onlyGovernance {
        _setModulePaused(false);
        emit ModuleUnpaused(msg.sender);
    }

    /* VIEW */

    /// @inheritdoc IStrataModule
    function registry() public view returns (address) {
        return address(_getStrataModuleStorage().registry);
    }

    /// @inheritdoc IStrataModule
    function modulePaused() public view virtual returns (bool) {
        return _getStrataModuleStorage().paused;
    }

    /* INTERNAL */

    /// @dev Where the module-wide pause flag is kept. A module whose every entry point also reads another word of
    ///      its own may keep the flag there instead (overriding this and `modulePaused`) to save a cold read.
    function _setModulePaused(bool paused) internal virtual {
        _getStrataModuleStorage().paused = paused;
    }

    function _registry() internal view returns (IModuleRegistry) {
        return _getStrataModuleStorage().registry;
    }

    function _checkGovernance() internal view {
        require(msg.sender == _registry().governance(), StrataUnauthorizedGovernance(msg.sender));
    }

    function _checkGuardianOrGovernance() internal view {
        IModuleRegistry reg = _registry();
        require(
            msg.sender == reg.guardian() || msg.sender == reg.governance(), StrataUnauthorizedGuardian(msg.sender)
        );
    }

    /// @dev Restricted hooks: only the address the registry currently names for `moduleId` may call.
    function _checkModule(bytes32 moduleId) internal view {
        require(msg.sender == _registry().moduleOf(moduleId), StrataUnauthorizedModule(msg.sender, moduleId));
    }

    /// @dev The single upgrade hook: only governance (the Timelock) may move the implementation.
    function _authorizeUpgrade(address) internal view override onlyGovernance {}

    function _getStrataModuleStorage() private pure returns (StrataModuleStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STRATA_MODULE_STORAGE_LOCATION
        }
    }
}
