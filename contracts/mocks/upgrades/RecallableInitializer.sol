// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (RecallableInitializer), V1: a deposit ledger in its ERC-7201 namespace.
contract RecallableInitializerV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.RecallableInitializerMock
    struct RecallableInitializerMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.RecallableInitializerMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant RECALLABLE_INITIALIZER_MOCK_STORAGE_LOCATION =
        0xd15e48de959457dd6f4514fe3d9bbde971c9af41ff9436cfc8325033457d6c00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        RecallableInitializerMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (RecallableInitializerMockStorage storage $) {
        assembly {
            $.slot := RECALLABLE_INITIALIZER_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: the V2 migration `initializeV2` lacks `reinitializer(2)`: anyone can call it, at any time,
///         as often as they like, and redirect the treasury.
contract RecallableInitializerV2Mock is RecallableInitializerV1Mock {
    function initializeV2(address treasury_) external {
        _getStorage().treasury = treasury_;
    }

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
