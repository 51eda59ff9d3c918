// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (Selfdestruct), V1: a deposit ledger in its ERC-7201 namespace.
contract SelfdestructV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.SelfdestructMock
    struct SelfdestructMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.SelfdestructMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SELFDESTRUCT_MOCK_STORAGE_LOCATION =
        0xd69e3bb9aca5a4e6fededa9bf4a2b435d3d4c1846741f7ebea8101fed0a27100;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        SelfdestructMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (SelfdestructMockStorage storage $) {
        assembly {
            $.slot := SELFDESTRUCT_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: a "kill switch". Anyone who gains control of the bare implementation could destroy the code
///         every proxy delegates to (pre-Cancun semantics; still forbidden by policy).
contract SelfdestructV2Mock is SelfdestructV1Mock {
    function shutdown() external onlyGovernance {
        selfdestruct(payable(msg.sender));
    }

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
