// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (ChangedNamespace), V1: a deposit ledger in its ERC-7201 namespace.
contract ChangedNamespaceV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.ChangedNamespaceMock
    struct ChangedNamespaceMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.ChangedNamespaceMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant CHANGED_NAMESPACE_MOCK_STORAGE_LOCATION =
        0x0e7424616114f611e81a91309afbed89d9730797036a8c41963f54d5c963b500;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        ChangedNamespaceMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (ChangedNamespaceMockStorage storage $) {
        assembly {
            $.slot := CHANGED_NAMESPACE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: same fields under a new ERC-7201 namespace id: the proxy's V1 data is left behind in the old one.
contract ChangedNamespaceV2Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.ChangedNamespaceV2Mock
    struct ChangedNamespaceV2MockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.ChangedNamespaceV2Mock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant CHANGED_NAMESPACE_V2_MOCK_STORAGE_LOCATION =
        0x026da700efd98f89106dbfe7123c77700b71988e6c4d7aa7a4de49eeea725500;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        ChangedNamespaceV2MockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() internal pure returns (ChangedNamespaceV2MockStorage storage $) {
        assembly {
            $.slot := CHANGED_NAMESPACE_V2_MOCK_STORAGE_LOCATION
        }
    }
}
