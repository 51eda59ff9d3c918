// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (RetypedStorage), V1: a deposit ledger in its ERC-7201 namespace.
contract RetypedStorageV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.RetypedStorageMock
    struct RetypedStorageMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.RetypedStorageMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant RETYPED_STORAGE_MOCK_STORAGE_LOCATION =
        0xa362ce3c703f0bbd796e85e1026b827c3c136917f50f394ee00f44d1d2d3dd00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        RetypedStorageMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (RetypedStorageMockStorage storage $) {
        assembly {
            $.slot := RETYPED_STORAGE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: `total` narrowed from uint256 to uint128 in the namespaced struct.
contract RetypedStorageV2Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.RetypedStorageMock
    struct RetypedStorageMockStorage {
        uint128 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.RetypedStorageMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant RETYPED_STORAGE_MOCK_STORAGE_LOCATION =
        0xa362ce3c703f0bbd796e85e1026b827c3c136917f50f394ee00f44d1d2d3dd00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        RetypedStorageMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += uint128(amount);
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() internal pure returns (RetypedStorageMockStorage storage $) {
        assembly {
            $.slot := RETYPED_STORAGE_MOCK_STORAGE_LOCATION
        }
    }
}
