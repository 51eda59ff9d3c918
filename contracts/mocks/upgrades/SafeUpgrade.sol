// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture, SAFE pair, V1: a deposit ledger in its ERC-7201 namespace.
contract SafeUpgradeV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.SafeUpgradeMock
    struct SafeUpgradeMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.SafeUpgradeMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SAFE_UPGRADE_MOCK_STORAGE_LOCATION =
        0xaefb21680f36561d6afe3c93692fc0cf22453f289472b810cb1e9652b687ae00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        SafeUpgradeMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() private pure returns (SafeUpgradeMockStorage storage $) {
        assembly {
            $.slot := SAFE_UPGRADE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice V2: one field appended to the namespace and set by a `reinitializer(2)` migration; every V1 function kept.
contract SafeUpgradeV2Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.SafeUpgradeMock
    struct SafeUpgradeMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
        uint256 feeBps;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.SafeUpgradeMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SAFE_UPGRADE_MOCK_STORAGE_LOCATION =
        0xaefb21680f36561d6afe3c93692fc0cf22453f289472b810cb1e9652b687ae00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function initializeV2(uint256 feeBps_) external reinitializer(2) onlyGovernance {
        _getStorage().feeBps = feeBps_;
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        SafeUpgradeMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function feeBps() external view returns (uint256) {
        return _getStorage().feeBps;
    }

    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() private pure returns (SafeUpgradeMockStorage storage $) {
        assembly {
            $.slot := SAFE_UPGRADE_MOCK_STORAGE_LOCATION
        }
    }
}
