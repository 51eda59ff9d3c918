// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (RemovedStorage), V1: a deposit ledger in its ERC-7201 namespace.
contract RemovedStorageV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.RemovedStorageMock
    struct RemovedStorageMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.RemovedStorageMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REMOVED_STORAGE_MOCK_STORAGE_LOCATION =
        0xe5f5b9d01e0ba0c5366a9190dcc65375b5df3190a05c74e60c3c866e2f7d3f00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        RemovedStorageMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (RemovedStorageMockStorage storage $) {
        assembly {
            $.slot := REMOVED_STORAGE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: `treasury` deleted from the namespaced struct: `balances` moves into its slot.
contract RemovedStorageV2Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.RemovedStorageMock
    struct RemovedStorageMockStorage {
        uint256 total;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.RemovedStorageMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REMOVED_STORAGE_MOCK_STORAGE_LOCATION =
        0xe5f5b9d01e0ba0c5366a9190dcc65375b5df3190a05c74e60c3c866e2f7d3f00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        RemovedStorageMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() internal pure returns (RemovedStorageMockStorage storage $) {
        assembly {
            $.slot := REMOVED_STORAGE_MOCK_STORAGE_LOCATION
        }
    }
}
