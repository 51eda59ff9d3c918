// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (Delegatecall), V1: a deposit ledger in its ERC-7201 namespace.
contract DelegatecallV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.DelegatecallMock
    struct DelegatecallMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.DelegatecallMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant DELEGATECALL_MOCK_STORAGE_LOCATION =
        0x605080dcbb72522b203c40b4a856c27c9f9e131b08a9a5d04cacfe5139acfc00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        DelegatecallMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (DelegatecallMockStorage storage $) {
        assembly {
            $.slot := DELEGATECALL_MOCK_STORAGE_LOCATION
        }
    }
}

error DelegatecallMockCallFailed(address target, bytes reason);

/// @notice UNSAFE V2: delegatecalls an arbitrary target from the module: the target runs with the proxy's storage
///         and can overwrite any namespace (or the ERC-1967 implementation slot).
contract DelegatecallV2Mock is DelegatecallV1Mock {
    function execute(address target, bytes calldata data) external onlyGovernance returns (bytes memory) {
        (bool ok, bytes memory result) = target.delegatecall(data);
        require(ok, DelegatecallMockCallFailed(target, result));
        return result;
    }

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
