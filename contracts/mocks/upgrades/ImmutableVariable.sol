// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (ImmutableVariable), V1: a deposit ledger in its ERC-7201 namespace.
contract ImmutableVariableV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.ImmutableVariableMock
    struct ImmutableVariableMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.ImmutableVariableMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant IMMUTABLE_VARIABLE_MOCK_STORAGE_LOCATION =
        0x9e66e68377aa66be0436bf935db96fd7cadf47ce6b94ced5a9fdc0141f1ad800;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        ImmutableVariableMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (ImmutableVariableMockStorage storage $) {
        assembly {
            $.slot := IMMUTABLE_VARIABLE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: an immutable lives in the implementation's code, not in the proxy's storage; this one
///         records when the implementation was deployed, which callers of the proxy will read as the module's.
contract ImmutableVariableV2Mock is ImmutableVariableV1Mock {
    uint256 private immutable DEPLOYED_AT = block.timestamp;

    function deployedAt() external view returns (uint256) {
        return DEPLOYED_AT;
    }

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
