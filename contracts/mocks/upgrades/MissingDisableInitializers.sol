// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

error MissingDisableInitializersMockUnauthorized(address caller);

/// @notice Upgrade-check fixture (MissingDisableInitializers), V1: a plain Initializable + UUPS ledger whose
///         constructor disables initializers on the implementation.
contract MissingDisableInitializersV1Mock is Initializable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:strata.storage.MissingDisableInitializersMock
    struct MissingDisableInitializersMockStorage {
        address governance;
        uint256 total;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.MissingDisableInitializersMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MISSING_DISABLE_INITIALIZERS_MOCK_STORAGE_LOCATION =
        0xcb8239cb73b79692e811449cee896401f26ca80e874a5df189833b6f4d793c00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address governance_) external initializer {
        _getStorage().governance = governance_;
    }

    function deposit(uint256 amount) external {
        MissingDisableInitializersMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    function _authorizeUpgrade(address) internal view override {
        require(msg.sender == _getStorage().governance, MissingDisableInitializersMockUnauthorized(msg.sender));
    }

    function _getStorage() private pure returns (MissingDisableInitializersMockStorage storage $) {
        assembly {
            $.slot := MISSING_DISABLE_INITIALIZERS_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: rewritten without the constructor. Its implementation can be initialised by anyone, who then
///         is its governance and can `upgradeToAndCall` it (the Parity/Wormhole class of bug). OZ does not flag it.
contract MissingDisableInitializersV2Mock is Initializable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:strata.storage.MissingDisableInitializersMock
    struct MissingDisableInitializersMockStorage {
        address governance;
        uint256 total;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.MissingDisableInitializersMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MISSING_DISABLE_INITIALIZERS_MOCK_STORAGE_LOCATION =
        0xcb8239cb73b79692e811449cee896401f26ca80e874a5df189833b6f4d793c00;

    function initialize(address governance_) external initializer {
        _getStorage().governance = governance_;
    }

    function deposit(uint256 amount) external {
        MissingDisableInitializersMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    function _authorizeUpgrade(address) internal view override {
        require(msg.sender == _getStorage().governance, MissingDisableInitializersMockUnauthorized(msg.sender));
    }

    function _getStorage() private pure returns (MissingDisableInitializersMockStorage storage $) {
        assembly {
            $.slot := MISSING_DISABLE_INITIALIZERS_MOCK_STORAGE_LOCATION
        }
    }
}
