// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

error UnguardedAuthorizeUpgradeMockUnauthorized(address caller);

/// @notice Upgrade-check fixture (UnguardedAuthorizeUpgrade), V1: a plain Initializable + UUPS ledger whose upgrade
///         hook only lets governance through.
contract UnguardedAuthorizeUpgradeV1Mock is Initializable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:strata.storage.UnguardedAuthorizeUpgradeMock
    struct UnguardedAuthorizeUpgradeMockStorage {
        address governance;
        uint256 total;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.UnguardedAuthorizeUpgradeMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant UNGUARDED_AUTHORIZE_UPGRADE_MOCK_STORAGE_LOCATION =
        0x1f69f79f49886924a3a71522b707ba1fa3f918ad66429e403b3116f283990d00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address governance_) external initializer {
        _getStorage().governance = governance_;
    }

    function deposit(uint256 amount) external {
        UnguardedAuthorizeUpgradeMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _authorizeUpgrade(address) internal view virtual override {
        require(msg.sender == _getStorage().governance, UnguardedAuthorizeUpgradeMockUnauthorized(msg.sender));
    }

    function _getStorage() internal pure returns (UnguardedAuthorizeUpgradeMockStorage storage $) {
        assembly {
            $.slot := UNGUARDED_AUTHORIZE_UPGRADE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: the upgrade hook is overridden with an empty body (a test shortcut that shipped): anyone can
///         `upgradeToAndCall` the proxy to code of their choosing. OZ does not flag it.
contract UnguardedAuthorizeUpgradeV2Mock is UnguardedAuthorizeUpgradeV1Mock {
    function version() external pure override returns (string memory) {
        return "2.0.0";
    }

    function _authorizeUpgrade(address) internal pure override {}
}
