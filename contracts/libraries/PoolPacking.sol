// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title PoolPacking
/// @notice Bit layouts of the lending pool's storage words. A reserve is five words keyed by asset and a risk word
///         keyed by id, read and written whole so an operation pays one SLOAD/SSTORE per word, never one per field:
///
///         indexes  [0,128) liquidityIndex (RAY)    [128,256) borrowIndex (RAY)
///         totals   [0,128) totalSupplyShares       [128,256) totalDebtShares
///         state    [0,128) cash                    [128,168) lastUpdate       [168,256) borrowRate (WAD/s)
///         config   [0,160) rateModel               [160,176) reserveFactor    [176,184) pausedActions
///                  [184,192) flags                 [192,200) id               [200,208) decimals
///                  [208,256) supplyCap (whole tokens)
///         borrowCap (whole tokens, read only when FLAG_BORROW_CAP is set)
///         risk     [0,160) asset   [160,176) ltv   [176,192) liquidationThreshold   [192,208) liquidationBonus
///                  [208,216) decimals              (keyed by reserve id)
///         position [0,128) supplyShares            [128,256) debtShares      (one word per user and reserve)
///
///         `config` holds everything every operation needs (model, factor, pauses, flags, id, decimals, supply
///         cap); `risk` what health checks need, keyed by the id a user's bitmap names: one read gives a
///         collateral's asset (to find its position and price), its factors and a copy of its decimals.
///         A user's bitmap has bit 2·id (collateral) and 2·id+1 (borrowing) per reserve.
/// @dev Setters assume in-range inputs: the pool range-checks (SafeCast or a typed argument) before packing.
library PoolPacking {
    uint256 internal constant MASK_128 = type(uint128).max;
    uint256 internal constant MASK_40 = (1 << 40) - 1;
    uint256 internal constant MASK_48 = (1 << 48) - 1;
    uint256 internal constant MASK_88 = (1 << 88) - 1;
    uint256 internal constant MASK_160 = (1 << 160) - 1;

    // config flags
    uint256 internal constant FLAG_LISTED = 1;
    uint256 internal constant FLAG_BORROWING_ENABLED = 2;
    // Lets `borrow` skip reading `borrowCap` when the reserve has none.
    uint256 internal constant FLAG_BORROW_CAP = 4;

    uint256 internal constant CONFIG_RESERVE_FACTOR_SHIFT = 160;
    uint256 internal constant CONFIG_PAUSED_SHIFT = 176;
    uint256 internal constant CONFIG_FLAGS_SHIFT = 184;
    uint256 internal constant CONFIG_ID_SHIFT = 192;
    uint256 internal constant CONFIG_DECIMALS_SHIFT = 200;
    uint256 internal constant CONFIG_SUPPLY_CAP_SHIFT = 208;

    uint256 internal constant RISK_LTV_SHIFT = 160;
    uint256 internal constant RISK_THRESHOLD_SHIFT = 176;
    uint256 internal constant RISK_BONUS_SHIFT = 192;
    uint256 internal constant RISK_DECIMALS_SHIFT = 208;

    // user bitmap: the even bits (collateral) and the odd bits (borrowing) of all 128 reserves
    uint256 internal constant COLLATERAL_MASK = 0x5555555555555555555555555555555555555555555555555555555555555555;
    uint256 internal constant BORROWING_MASK = 0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA;

    /* TWO 128-BIT HALVES (indexes, totals, position) */

    function lo(uint256 word) internal pure returns (uint256) {
        return word & MASK_128;
    }

    function hi(uint256 word) internal pure returns (uint256) {
        return word >> 128;
    }

    /// @dev Both halves must be < 2**128 (checked by the caller).
    function pack128(uint256 low, uint256 high) internal pure returns (uint256) {
        return low | (high << 128);
    }

    /* STATE */

    function cash(uint256 state) internal pure returns (uint256) {
        return state & MASK_128;
    }

    function lastUpdate(uint256 state) internal pure returns (uint256) {
        return (state >> 128) & MASK_40;
    }

    function borrowRate(uint256 state) internal pure returns (uint256) {
        return state >> 168;
    }

    function packState(uint256 cash_, uint256 lastUpdate_, uint256 borrowRate_) internal pure returns (uint256) {
        return cash_ | (lastUpdate_ << 128) | (borrowRate_ << 168);
    }

    /// @dev `cash_` must fit 128 bits (the caller range-checks it).
    function withCash(uint256 state, uint256 cash_) internal pure returns (uint256) {
        return (state & ~MASK_128) | cash_;
    }

    /* CONFIG */

    function rateModel(uint256 config) internal pure returns (address) {
        return address(uint160(config));
    }

    function reserveFactor(uint256 config) internal pure returns (uint256) {
        return (config >> CONFIG_RESERVE_FACTOR_SHIFT) & 0xFFFF;
    }

    function pausedActions(uint256 config) internal pure returns (uint256) {
        return (config >> CONFIG_PAUSED_SHIFT) & 0xFF;
    }

    function flags(uint256 config) internal pure returns (uint256) {
        return (config >> CONFIG_FLAGS_SHIFT) & 0xFF;
    }

    function id(uint256 config) internal pure returns (uint256) {
        return (config >> CONFIG_ID_SHIFT) & 0xFF;
    }

    function decimals(uint256 config) internal pure returns (uint256) {
        return (config >> CONFIG_DECIMALS_SHIFT) & 0xFF;
    }

    function supplyCap(uint256 config) internal pure returns (uint256) {
        return config >> CONFIG_SUPPLY_CAP_SHIFT;
    }

    function packConfig(
        address rateModel_,
        uint256 reserveFactor_,
        uint256 pausedActions_,
        uint256 flags_,
        uint256 id_,
        uint256 decimals_,
        uint256 supplyCap_
    ) internal pure returns (uint256) {
        return uint256(uint160(rateModel_)) | (reserveFactor_ << CONFIG_RESERVE_FACTOR_SHIFT)
            | (pausedActions_ << CONFIG_PAUSED_SHIFT) | (flags_ << CONFIG_FLAGS_SHIFT) | (id_ << CONFIG_ID_SHIFT)
            | (decimals_ << CONFIG_DECIMALS_SHIFT) | (supplyCap_ << CONFIG_SUPPLY_CAP_SHIFT);
    }

    function withRateModel(uint256 config, address rateModel_) internal pure returns (uint256) {
        return (config & ~MASK_160) | uint256(uint160(rateModel_));
    }

    function withPausedActions(uint256 config, uint256 pausedActions_) internal pure returns (uint256) {
        return (config & ~(uint256(0xFF) << CONFIG_PAUSED_SHIFT)) | (pausedActions_ << CONFIG_PAUSED_SHIFT);
    }

    /* RISK */

    function riskAsset(uint256 risk) internal pure returns (address) {
        return address(uint160(risk));
    }

    function ltv(uint256 risk) internal pure returns (uint256) {
        return (risk >> RISK_LTV_SHIFT) & 0xFFFF;
    }

    function liquidationThreshold(uint256 risk) internal pure returns (uint256) {
        return (risk >> RISK_THRESHOLD_SHIFT) & 0xFFFF;
    }

    function liquidationBonus(uint256 risk) internal pure returns (uint256) {
        return (risk >> RISK_BONUS_SHIFT) & 0xFFFF;
    }

    function riskDecimals(uint256 risk) internal pure returns (uint256) {
        return (risk >> RISK_DECIMALS_SHIFT) & 0xFF;
    }

    function packRisk(
        address asset_,
        uint256 ltv_,
        uint256 liquidationThreshold_,
        uint256 liquidationBonus_,
        uint256 decimals_
    ) internal pure returns (uint256) {
        return uint256(uint160(asset_)) | (ltv_ << RISK_LTV_SHIFT) | (liquidationThreshold_ << RISK_THRESHOLD_SHIFT)
            | (liquidationBonus_ << RISK_BONUS_SHIFT) | (decimals_ << RISK_DECIMALS_SHIFT);
    }

    /// @dev A risk word carrying only `decimals` (no collateral factors): how a debt-only reserve is valued.
    function decimalsOnlyRisk(uint256 decimals_) internal pure returns (uint256) {
        return decimals_ << RISK_DECIMALS_SHIFT;
    }
}
