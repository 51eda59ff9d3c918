// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (WrongSlotConstant), V1: a deposit ledger in its ERC-7201 namespace.
contract WrongSlotConstantV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.WrongSlotConstantMock
    struct WrongSlotConstantMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.WrongSlotConstantMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant WRONG_SLOT_CONSTANT_MOCK_STORAGE_LOCATION =
        0x2660bedc60de29c1baa69ecfd5b0109b9a0ae8f0fca9faf1d18beef2cd81a200;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        WrongSlotConstantMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (WrongSlotConstantMockStorage storage $) {
        assembly {
            $.slot := WRONG_SLOT_CONSTANT_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: same annotation and fields, but the slot constant is a plain keccak256 of the namespace id
///         (the ERC-7201 formula's `- 1` and mask are missing): V2 reads and writes an empty location.
contract WrongSlotConstantV2Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.WrongSlotConstantMock
    struct WrongSlotConstantMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256("strata.storage.WrongSlotConstantMock") -- a refactor dropped the "- 1" and the 0xff mask
    bytes32 private constant WRONG_SLOT_CONSTANT_MOCK_STORAGE_LOCATION =
        0x60bb3863ed10d707a337142da43fd7b0ea84f5f2d215dd5fded2715f22bf80be;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        WrongSlotConstantMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() internal pure returns (WrongSlotConstantMockStorage storage $) {
        assembly {
            $.slot := WRONG_SLOT_CONSTANT_MOCK_STORAGE_LOCATION
        }
    }
}
