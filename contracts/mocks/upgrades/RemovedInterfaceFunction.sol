// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice What integrators of the fixture ledger compile against.
interface IRemovedInterfaceFunctionMock {
    function deposit(uint256 amount) external;

    function balanceOf(address account) external view returns (uint256);
}

/// @notice Upgrade-check fixture (RemovedInterfaceFunction), V1: a deposit ledger in its ERC-7201 namespace.
contract RemovedInterfaceFunctionV1Mock is StrataModule, IRemovedInterfaceFunctionMock {
    /// @custom:storage-location erc7201:strata.storage.RemovedInterfaceFunctionMock
    struct RemovedInterfaceFunctionMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.RemovedInterfaceFunctionMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REMOVED_INTERFACE_FUNCTION_MOCK_STORAGE_LOCATION =
        0x3cbb236854bb9e12eb5422ad2640e3bb40d18a56501d9fa1eb859d8fe8437500;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        RemovedInterfaceFunctionMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (RemovedInterfaceFunctionMockStorage storage $) {
        assembly {
            $.slot := REMOVED_INTERFACE_FUNCTION_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: `balanceOf(address)` is gone and `deposit` gained a parameter (new selector): every integrator
///         compiled against IRemovedInterfaceFunctionMock now hits the fallback and reverts.
contract RemovedInterfaceFunctionV2Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.RemovedInterfaceFunctionMock
    struct RemovedInterfaceFunctionMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.RemovedInterfaceFunctionMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REMOVED_INTERFACE_FUNCTION_MOCK_STORAGE_LOCATION =
        0x3cbb236854bb9e12eb5422ad2640e3bb40d18a56501d9fa1eb859d8fe8437500;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount, address onBehalfOf) external whenModuleNotPaused {
        RemovedInterfaceFunctionMockStorage storage $ = _getStorage();
        $.balances[onBehalfOf] += amount;
        $.total += amount;
    }

    function balances(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() private pure returns (RemovedInterfaceFunctionMockStorage storage $) {
        assembly {
            $.slot := REMOVED_INTERFACE_FUNCTION_MOCK_STORAGE_LOCATION
        }
    }
}
