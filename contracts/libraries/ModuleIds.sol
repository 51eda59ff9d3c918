// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title ModuleIds
/// @notice The registry keys of Strata's modules. The Python harness uses the same strings
///         (`strata.modules.MODULE_IDS`): keep them in step.
library ModuleIds {
    bytes32 internal constant LENDING_POOL = "LENDING_POOL";
    bytes32 internal constant PRICE_ORACLE = "PRICE_ORACLE";
    bytes32 internal constant LIQUIDATION_ENGINE = "LIQUIDATION_ENGINE";
    bytes32 internal constant FLASH_LOAN_MODULE = "FLASH_LOAN_MODULE";
    bytes32 internal constant GOVERNOR = "GOVERNOR";
    bytes32 internal constant TIMELOCK = "TIMELOCK";
    bytes32 internal constant GOVERNANCE_TOKEN = "GOVERNANCE_TOKEN";
}
