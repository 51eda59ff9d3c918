// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (StaleReinitializer), V1: a deposit ledger in its ERC-7201 namespace.
contract StaleReinitializerV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.StaleReinitializerMock
    struct StaleReinitializerMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.StaleReinitializerMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STALE_REINITIALIZER_MOCK_STORAGE_LOCATION =
        0xdaefb184d7d148e68f97bbd831bedae4ff27729cf20c3dea7041bb864bff7400;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function initializeV2(address treasury_) external reinitializer(2) onlyGovernance {
        _getStorage().treasury = treasury_;
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        StaleReinitializerMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (StaleReinitializerMockStorage storage $) {
        assembly {
            $.slot := STALE_REINITIALIZER_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: its migration reuses `reinitializer(2)`, the version V1's proxies are already at, so it can
///         never run: the upgrade would ship without its migration (and nothing reverts to say so).
contract StaleReinitializerV2Mock is StaleReinitializerV1Mock {
    function initializeV3(address treasury_) external reinitializer(2) onlyGovernance {
        _getStorage().treasury = treasury_;
    }

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
