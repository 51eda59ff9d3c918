// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (ReorderedStorage), V1: a deposit ledger in its ERC-7201 namespace.
contract ReorderedStorageV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.ReorderedStorageMock
    struct ReorderedStorageMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.ReorderedStorageMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REORDERED_STORAGE_MOCK_STORAGE_LOCATION =
        0xea154f9797beb089a486e6da705928cba8da1870a077c06c8cc0423c8c1a2100;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        ReorderedStorageMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (ReorderedStorageMockStorage storage $) {
        assembly {
            $.slot := REORDERED_STORAGE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: `total` and `treasury` swapped in the namespaced struct: each reads the other's slot.
contract ReorderedStorageV2Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.ReorderedStorageMock
    struct ReorderedStorageMockStorage {
        address treasury;
        uint256 total;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.ReorderedStorageMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REORDERED_STORAGE_MOCK_STORAGE_LOCATION =
        0xea154f9797beb089a486e6da705928cba8da1870a077c06c8cc0423c8c1a2100;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        ReorderedStorageMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() internal pure returns (ReorderedStorageMockStorage storage $) {
        assembly {
            $.slot := REORDERED_STORAGE_MOCK_STORAGE_LOCATION
        }
    }
}
