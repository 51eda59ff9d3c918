// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ModuleRegistry} from "../registry/ModuleRegistry.sol";

/// @notice Test-only V2 of the registry: same storage, one extra view, to prove an upgrade keeps state.
contract ModuleRegistryV2Mock is ModuleRegistry {
    function version() external pure override returns (string memory) {
        return "2.0.0-mock";
    }

    function isV2() external pure returns (bool) {
        return true;
    }
}
