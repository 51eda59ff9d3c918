// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

error NonUUPSMockUnauthorized(address caller);

/// @notice Upgrade-check fixture (NonUUPS), V1: a plain Initializable + UUPS ledger.
contract NonUUPSV1Mock is Initializable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:strata.storage.NonUUPSMock
    struct NonUUPSMockStorage {
        address governance;
        uint256 total;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.NonUUPSMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant NON_UUPS_MOCK_STORAGE_LOCATION =
        0x08624485d97cb58769bd8c105371ab890ef5b6bfe47067e28bbcdbb818f5fe00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address governance_) external initializer {
        _getStorage().governance = governance_;
    }

    function deposit(uint256 amount) external {
        NonUUPSMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    function _authorizeUpgrade(address) internal view override {
        require(msg.sender == _getStorage().governance, NonUUPSMockUnauthorized(msg.sender));
    }

    function _getStorage() private pure returns (NonUUPSMockStorage storage $) {
        assembly {
            $.slot := NON_UUPS_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: drops UUPSUpgradeable. A UUPS proxy upgraded to it has no `upgradeToAndCall` left: the module
///         can never be upgraded again (nor rolled back).
contract NonUUPSV2Mock is Initializable {
    /// @custom:storage-location erc7201:strata.storage.NonUUPSMock
    struct NonUUPSMockStorage {
        address governance;
        uint256 total;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.NonUUPSMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant NON_UUPS_MOCK_STORAGE_LOCATION =
        0x08624485d97cb58769bd8c105371ab890ef5b6bfe47067e28bbcdbb818f5fe00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address governance_) external initializer {
        _getStorage().governance = governance_;
    }

    function deposit(uint256 amount) external {
        NonUUPSMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    function _getStorage() private pure returns (NonUUPSMockStorage storage $) {
        assembly {
            $.slot := NON_UUPS_MOCK_STORAGE_LOCATION
        }
    }
}
