// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../../base/StrataModule.sol";

/// @notice Upgrade-check fixture (ConstructorStateWrite), V1: a deposit ledger in its ERC-7201 namespace.
contract ConstructorStateWriteV1Mock is StrataModule {
    /// @custom:storage-location erc7201:strata.storage.ConstructorStateWriteMock
    struct ConstructorStateWriteMockStorage {
        uint256 total;
        address treasury;
        mapping(address account => uint256 balance) balances;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.ConstructorStateWriteMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant CONSTRUCTOR_STATE_WRITE_MOCK_STORAGE_LOCATION =
        0x5737c45fd603133c141d4f4b9a45b469e50c8690f54ca31c6a76ce1953940f00;

    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    function deposit(uint256 amount) external whenModuleNotPaused {
        ConstructorStateWriteMockStorage storage $ = _getStorage();
        $.balances[msg.sender] += amount;
        $.total += amount;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _getStorage().balances[account];
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    function _getStorage() internal pure returns (ConstructorStateWriteMockStorage storage $) {
        assembly {
            $.slot := CONSTRUCTOR_STATE_WRITE_MOCK_STORAGE_LOCATION
        }
    }
}

/// @notice UNSAFE V2: its constructor sets a default treasury. The write lands in the implementation's own storage,
///         never in a proxy's: behind the proxy `treasury` stays zero. OpenZeppelin flags the constructor.
contract ConstructorStateWriteV2Mock is ConstructorStateWriteV1Mock {
    constructor() {
        _getStorage().treasury = address(0xFEE);
    }

    function treasury() external view returns (address) {
        return _getStorage().treasury;
    }

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}

/// @notice UNSAFE V2, with OpenZeppelin silenced: the same write under the `unsafe-allow constructor` annotation
///         copied from StrataModule. OpenZeppelin trusts the annotation; Strata's check looks at what the code does.
contract ConstructorStateWriteAllowedV2Mock is ConstructorStateWriteV1Mock {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _getStorage().treasury = address(0xFEE);
    }

    function treasury() external view returns (address) {
        return _getStorage().treasury;
    }

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
