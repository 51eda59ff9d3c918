// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {LiquidationEngineBase} from "./LiquidationEngineBase.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {ILiquidationEngineV2} from "../../interfaces/ILiquidationEngine.sol";

/// @title LiquidationEngineV2
/// @notice Version 2 of Strata's liquidation engine: a Dutch auction on the health factor. The bonus starts low
///         just below a health factor of 1 and rises linearly to the reserve's configured bonus at a floor health
///         factor, so the first liquidator to find the price worth it pays the borrower the smallest penalty.
/// @dev Installed by upgrading the version-1 proxy (`upgradeToAndCall(v2, initializeV2(...))`). Its namespaced
///      storage is version 1's with fields appended, never reordered.
/// @custom:oz-upgrades-from contracts/liquidation/LiquidationEngine.sol:LiquidationEngine
contract LiquidationEngineV2 is LiquidationEngineBase, ILiquidationEngineV2 {
    using Math for uint256;

    /* CONSTANTS */

    string internal constant VERSION = "2.0.0";
    uint64 internal constant REVISION = 2;

    /* STORAGE */

    /// @dev Append only. 2.0.0 adds one packed slot after version 1's two: auctionStartBonus (8 bytes) |
    ///      auctionFloorHealthFactor (8), in WAD.
    /// @custom:storage-location erc7201:strata.storage.LiquidationEngine
    struct LiquidationEngineStorage {
        EngineConfig config;
        uint64 auctionStartBonus;
        uint64 auctionFloorHealthFactor;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.LiquidationEngine")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LIQUIDATION_ENGINE_STORAGE_LOCATION =
        0x07dbdf8e6d60b32f98d64f5277aa702bdda519be53101d092c749d93f1cb8100;

    /* CONSTRUCTOR / INITIALIZER */

    /// @notice Initialises a fresh version-2 proxy (then `initializeV2`); an upgraded proxy keeps version 1's.
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

    /// @inheritdoc ILiquidationEngineV2
    function initializeV2(uint256 startBonus, uint256 floorHealthFactor)
        external
        reinitializer(REVISION)
        onlyGovernance
    {
        _setAuctionStartBonus(startBonus);
        _setAuctionFloorHealthFactor(floorHealthFactor);
    }

    /* ADMIN */

    /// @inheritdoc ILiquidationEngineV2
    function setAuctionStartBonus(uint256 newStartBonus) external onlyGovernance {
        _setAuctionStartBonus(newStartBonus);
    }

    /// @inheritdoc ILiquidationEngineV2
    function setAuctionFloorHealthFactor(uint256 newFloorHealthFactor) external onlyGovernance {
        _setAuctionFloorHealthFactor(newFloorHealthFactor);
    }

    /* VIEW */

    /// @inheritdoc IStrataModule
    function version() external pure returns (string memory) {
        return VERSION;
    }

    /// @inheritdoc ILiquidationEngineV2
    function auctionStartBonus() external view returns (uint256) {
        return _getStorage().auctionStartBonus;
    }

    /// @inheritdoc ILiquidationEngineV2
    function auctionFloorHealthFactor() external view returns (uint256) {
        return _getStorage().auctionFloorHealthFactor;
    }

    /* INTERNAL */

    function _config() internal view override returns (EngineConfig storage) {
        return _getStorage().config;
    }

    /// @dev start + (cap - start) × (1 - hf) / (1 - floor), for floor < hf < 1; the cap at or below the floor.
    function _liquidationBonus(uint256 healthFactor, uint256 maxBonus) internal view override returns (uint256) {
        LiquidationEngineStorage storage $ = _getStorage();
        uint256 start = $.auctionStartBonus;
        uint256 floor = $.auctionFloorHealthFactor;
        if (start >= maxBonus || healthFactor <= floor) return maxBonus;
        // A healthy factor (≥ 1) only reaches here through the `liquidationBonusAt` view: it gets the start bonus.
        if (healthFactor >= WAD) return start;
        // Down: the borrower never pays more than the curve (floor < hf < 1, so the quotient is < cap - start).
        return start + (maxBonus - start).mulDiv(WAD - healthFactor, WAD - floor, Math.Rounding.Floor);
    }

    function _setAuctionStartBonus(uint256 value) private {
        require(value <= WAD, LiquidationEngineInvalidParameter("auctionStartBonus", value));
        LiquidationEngineStorage storage $ = _getStorage();
        uint256 previous = $.auctionStartBonus;
        $.auctionStartBonus = uint64(value);
        emit AuctionStartBonusSet(previous, value);
    }

    function _setAuctionFloorHealthFactor(uint256 value) private {
        require(value < WAD, LiquidationEngineInvalidParameter("auctionFloorHealthFactor", value));
        LiquidationEngineStorage storage $ = _getStorage();
        uint256 previous = $.auctionFloorHealthFactor;
        $.auctionFloorHealthFactor = uint64(value);
        emit AuctionFloorHealthFactorSet(previous, value);
    }

    function _getStorage() private pure returns (LiquidationEngineStorage storage $) {
        assembly ("memory-safe") {
            $.slot := LIQUIDATION_ENGINE_STORAGE_LOCATION
        }
    }
}
