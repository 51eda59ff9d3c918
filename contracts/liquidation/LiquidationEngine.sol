// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LiquidationEngineBase} from "./LiquidationEngineBase.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";

/// @title LiquidationEngine
/// @notice Version 1 of Strata's liquidation engine: a fixed bonus per collateral reserve, a close factor with a
///         full close for deeply unhealthy or dust positions, a protocol share of the bonus, and the write-off of
///         debt left without collateral. Deployed behind a `ModuleProxy`.
contract LiquidationEngine is LiquidationEngineBase {
    /* CONSTANTS */

    string internal constant VERSION = "1.0.0";

    /* STORAGE */

    /// @custom:storage-location erc7201:strata.storage.LiquidationEngine
    struct LiquidationEngineStorage {
        EngineConfig config;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.LiquidationEngine")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LIQUIDATION_ENGINE_STORAGE_LOCATION =
        0x07dbdf8e6d60b32f98d64f5277aa702bdda519be53101d092c749d93f1cb8100;

    /* CONSTRUCTOR / INITIALIZER */

    /// @notice Initialises the engine behind its proxy.
    /// @dev The pool and oracle are read from the registry when both are already registered; otherwise call
    ///      `syncModules()` once they are.
    /// @param registry_ The module registry.
    /// @param closeFactor_ Share of a debt one liquidation may repay (WAD, multiple of 1e9; e.g. 0.5e18).
    /// @param fullLiquidationHealthFactor_ Health factor below which a debt may be repaid in full (WAD, 0.95e18).
    /// @param dustDebtValue_ USD value (WAD) below which a debt may be repaid in full.
    /// @param protocolFeeShare_ Protocol's share of the bonus (WAD, multiple of 1e9; e.g. 0.1e18).
    function initialize(
        address registry_,
        uint256 closeFactor_,
        uint256 fullLiquidationHealthFactor_,
        uint256 dustDebtValue_,
        uint256 protocolFeeShare_
    ) external initializer {
        __LiquidationEngineBase_init(
            registry_, closeFactor_, fullLiquidationHealthFactor_, dustDebtValue_, protocolFeeShare_
        );
    }

    /* VIEW */

    /// @inheritdoc IStrataModule
    function version() external pure returns (string memory) {
        return VERSION;
    }

    /* INTERNAL */

    function _config() internal view override returns (EngineConfig storage) {
        return _getStorage().config;
    }

    /// @dev Version 1: the reserve's bonus, whatever the health factor.
    function _liquidationBonus(uint256, uint256 maxBonus) internal pure override returns (uint256) {
        return maxBonus;
    }

    function _getStorage() private pure returns (LiquidationEngineStorage storage $) {
        assembly ("memory-safe") {
            $.slot := LIQUIDATION_ENGINE_STORAGE_LOCATION
        }
    }
}
