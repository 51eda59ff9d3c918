// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (InsertedStorage), V1: a deposit ledger in its ERC-7201 namespace.
contract InsertedStorageV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.InsertedStorageMock
    struct InsertedStorageMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.InsertedStorageMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant INSERTED_STORAGE_MOCK_STORAGE_LOCATION =
        0x61334748897046975a25efa651c98f3233e0ae85b0d2a99e4f057e2407b22e00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        InsertedStorageMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (InsertedStorageMockStorage storage $) {
        assembly {
            $.slot := INSERTED_STORAGE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: `feeBps` inserted before existing fields of the namespaced struct (append-only is the rule).
contract InsertedStorageV2Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.InsertedStorageMock
    struct InsertedStorageMockStorage {
        uint256 total;
        uint256 feeBps;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.InsertedStorageMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant INSERTED_STORAGE_MOCK_STORAGE_LOCATION =
        0x61334748897046975a25efa651c98f3233e0ae85b0d2a99e4f057e2407b22e00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        InsertedStorageMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() internal pure returns (InsertedStorageMockStorage storage $) {
        assembly {
            $.slot := INSERTED_STORAGE_MOCK_STORAGE_LOCATION
        }
    }
}
