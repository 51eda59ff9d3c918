// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

import {IStrataModule} from "./IStrataModule.sol";

/// @title ILiquidationEngine
/// @notice Liquidation policy of Strata: when a position may be liquidated, how much of its debt one call may
///         repay (close factor), how much collateral the liquidator receives for it (liquidation bonus), the
///         protocol's share of that bonus, and the write-off of debt left without collateral.
/// @dev The engine holds no funds and no positions, and reads nothing from the pool itself. `liquidate` asks the
///      pool to execute (`ILendingPoolModules.executeLiquidation`); the pool values the borrower's account once,
///      hands that valuation to the engine's view policy `quoteLiquidation`, checks the answer against its own
///      limits (health factor below 1, repayment within the debt and the liquidator's request, seizure within the
///      collateral and within the reserve's configured bonus, fee within the seizure) and only then moves funds.
///      A faulty engine upgrade therefore hits a revert in the core instead of draining it.
///      The liquidator approves the POOL (not the engine) for the debt asset: the pool pulls the repayment.
///      Units: prices and values in USD with 18 decimals (WAD); factors in WAD (1e18 = 100%); token amounts in
///      each asset's own decimals.
interface ILiquidationEngine is IStrataModule {
    /// @notice The borrower's standing as the pool values it, handed to `quoteLiquidation`. One valuation of the
    ///         account, with interest up to the current block, serves both the quote and the pool's checks.
    /// @param borrower The account to liquidate.
    /// @param debtAsset The reserve whose debt is repaid.
    /// @param collateralAsset The reserve whose collateral is seized.
    /// @param repayAmount The most debt the liquidator will repay, in `debtAsset` units (its request).
    /// @param healthFactor The borrower's health factor (WAD; type(uint256).max without debt).
    /// @param debt The borrower's debt in `debtAsset`, rounded up (0 when it owes none).
    /// @param collateral The borrower's supply of `collateralAsset`, rounded down; 0 unless enabled as collateral.
    /// @param debtPrice Oracle price of one whole `debtAsset` (WAD; 0 when the borrower owes none of it).
    /// @param collateralPrice Oracle price of one whole `collateralAsset` (WAD; 0 when the account holds none of it).
    /// @param maxLiquidationBonus The collateral reserve's configured liquidation bonus (WAD): the most the pool
    ///        lets a seizure exceed the repaid value by.
    /// @param debtDecimals The debt asset's decimals.
    /// @param collateralDecimals The collateral asset's decimals.
    struct LiquidationSnapshot {
        address borrower;
        address debtAsset;
        address collateralAsset;
        uint256 repayAmount;
        uint256 healthFactor;
        uint256 debt;
        uint256 collateral;
        uint256 debtPrice;
        uint256 collateralPrice;
        uint256 maxLiquidationBonus;
        uint8 debtDecimals;
        uint8 collateralDecimals;
    }

    /// @notice Everything one liquidation does, as computed by the code path `liquidate` executes.
    /// @param healthFactor The borrower's health factor before the liquidation (WAD).
    /// @param liquidationBonus The bonus applied on top of the repaid value (WAD; 0.05e18 = 5%).
    /// @param maxRepayAmount The most debt this call may repay under the close factor, in `debtAsset` units.
    /// @param repayAmount Debt repaid by the liquidator, in `debtAsset` units (after the close factor and,
    ///        when the borrower's collateral runs out, scaled down to what that collateral pays for).
    /// @param seizeAmount Collateral taken from the borrower, protocol fee included, in `collateralAsset` units.
    /// @param protocolFeeAmount Part of `seizeAmount` credited to the collateral reserve's protocol reserves; the
    ///        liquidator receives `seizeAmount - protocolFeeAmount`.
    /// @param debtPrice Oracle price of one whole `debtAsset` (WAD).
    /// @param collateralPrice Oracle price of one whole `collateralAsset` (WAD).
    /// @param collateralExhausted True when the seizure takes all of the borrower's `collateralAsset` collateral;
    ///        the pool then writes off the debt if no other collateral is left.
    struct Liquidation {
        uint256 healthFactor;
        uint256 liquidationBonus;
        uint256 maxRepayAmount;
        uint256 repayAmount;
        uint256 seizeAmount;
        uint256 protocolFeeAmount;
        uint256 debtPrice;
        uint256 collateralPrice;
        bool collateralExhausted;
    }

    /* ERRORS */

    /// @notice The position's health factor is not below 1: it cannot be liquidated.
    /// @param borrower The account.
    /// @param healthFactor Its health factor (WAD).
    error LiquidationEngineHealthyPosition(address borrower, uint256 healthFactor);
    /// @notice A zero repay amount was asked.
    error LiquidationEngineZeroRepay();
    /// @notice The repayment is too small to buy a single base unit of collateral: nothing would be seized.
    /// @param repayAmount The repayment after the close factor.
    error LiquidationEngineNothingToSeize(uint256 repayAmount);
    /// @notice The borrower owes nothing in `debtAsset`.
    error LiquidationEngineNoDebt(address borrower, address debtAsset);
    /// @notice The borrower has no collateral-enabled supply in `collateralAsset`.
    error LiquidationEngineNoCollateral(address borrower, address collateralAsset);
    /// @notice The engine does not know the pool or the oracle yet: call `syncModules()` once both are
    ///         registered.
    error LiquidationEngineModulesNotSynced();
    /// @notice A governance parameter is out of its allowed range.
    /// @param parameter The parameter's name.
    /// @param value The rejected value.
    error LiquidationEngineInvalidParameter(bytes32 parameter, uint256 value);

    /* EVENTS */

    /// @notice Emitted when the engine re-reads the pool and oracle addresses from the registry (old and new).
    event EngineModulesSynced(address previousPool, address pool, address previousOracle, address oracle);
    /// @notice Emitted when governance changes the close factor.
    event CloseFactorSet(uint256 previous, uint256 current);
    /// @notice Emitted when governance changes the health factor below which a position may be closed in full.
    event FullLiquidationHealthFactorSet(uint256 previous, uint256 current);
    /// @notice Emitted when governance changes the debt value below which a debt may be closed in full.
    event DustDebtValueSet(uint256 previous, uint256 current);
    /// @notice Emitted when governance changes the protocol's share of the liquidation bonus.
    event ProtocolFeeShareSet(uint256 previous, uint256 current);
    /// @notice Emitted when a liquidation leaves the borrower without collateral and the pool writes off the
    ///         remaining debt. The pool's `BadDebtWrittenOff` events give the per-reserve split between protocol
    ///         reserves and suppliers.
    /// @param borrower The account whose debt was written off.
    /// @param liquidator The caller whose liquidation exhausted the collateral.
    /// @param debtValue USD value (WAD) of the debt written off, as reported by the pool.
    event BadDebtCleared(address indexed borrower, address indexed liquidator, uint256 debtValue);

    /* LIQUIDATION */

    /// @notice Repays up to `repayAmount` of `borrower`'s `debtAsset` debt and takes the matching collateral plus
    ///         the liquidation bonus from their `collateralAsset` supply.
    /// @dev Requires the borrower's health factor < 1. The repayment is capped by the close factor
    ///      (`closeFactor()` of the debt in `debtAsset`; all of it when the health factor is below
    ///      `fullLiquidationHealthFactor()` or that debt is worth less than `dustDebtValue()`), so passing
    ///      `type(uint256).max` liquidates as much as allowed. Seized collateral = repaid value × (1 + bonus) /
    ///      collateral price, rounded down. When that exceeds the borrower's collateral in `collateralAsset`, all
    ///      of it is seized and the repayment is scaled down to match, rounded up. If the borrower is then left
    ///      with no collateral but some debt, the pool writes the debt off (`BadDebtCleared`).
    ///      Runs as one call into the pool (`executeLiquidation`), which values the account once and calls back
    ///      `quoteLiquidation` for the amounts.
    ///      The caller must have approved the pool for `debtAsset`. Callable while borrowing is paused; reverts
    ///      when the module or the pool's liquidations are paused.
    ///      Front-running: another liquidator may act first; the amount is then re-capped (never reverts for
    ///      asking too much), and reverts with `LiquidationEngineHealthyPosition` if the position recovered.
    /// @param borrower The account to liquidate.
    /// @param debtAsset The reserve whose debt is repaid.
    /// @param collateralAsset The reserve whose collateral is seized.
    /// @param repayAmount The most debt to repay, in `debtAsset` units; `type(uint256).max` for as much as allowed.
    ///        The pool never pulls more than this from the caller, whatever the engine quotes.
    /// @return liquidation What was executed (same as `previewLiquidation` in the same state).
    function liquidate(address borrower, address debtAsset, address collateralAsset, uint256 repayAmount)
        external
        returns (Liquidation memory liquidation);

    /// @notice What `liquidate` would do with the same arguments in the current state, through the same code.
    /// @dev Runs the pool's `previewLiquidation`: the same valuation, the same `quoteLiquidation` and the same pool
    ///      checks as the execution, so it reverts where `liquidate` would (healthy position, no debt, no
    ///      collateral, nothing to seize, module or pool paused, a dust repayment that cancels no debt share,
    ///      collateral cash lent out), except for the liquidator's own allowance and balance. It quotes with the
    ///      engine the pool has registered (this one, in a consistent deployment).
    /// @param borrower The account to liquidate.
    /// @param debtAsset The reserve whose debt would be repaid.
    /// @param collateralAsset The reserve whose collateral would be seized.
    /// @param repayAmount The most debt to repay; `type(uint256).max` for as much as allowed.
    /// @return liquidation What `liquidate` would execute.
    function previewLiquidation(address borrower, address debtAsset, address collateralAsset, uint256 repayAmount)
        external
        view
        returns (Liquidation memory liquidation);

    /// @notice The engine's policy: the liquidation it asks for, given the pool's valuation of the account.
    /// @dev Called back by the pool (a static call) inside `executeLiquidation` and `previewLiquidation`; a pure
    ///      function of `snapshot` and the engine's parameters, so anyone may call it to price a hypothetical
    ///      position. Reverts with the engine's errors: healthy position, zero request, no debt, no collateral,
    ///      nothing to seize. The pool does not trust the answer: it re-checks every amount.
    /// @param snapshot The pool's valuation of the borrower (see `LiquidationSnapshot`).
    /// @return liquidation The amounts the engine asks the pool to execute, with the bonus and close factor used.
    function quoteLiquidation(LiquidationSnapshot calldata snapshot)
        external
        view
        returns (Liquidation memory liquidation);

    /* ADMIN */

    /// @notice Re-reads the pool and oracle addresses from the registry and caches them.
    /// @dev Permissionless: it only copies what governance wrote in the registry. Caching saves a registry call
    ///      per liquidation; call it after governance points LENDING_POOL or PRICE_ORACLE elsewhere.
    function syncModules() external;

    /// @notice Sets the share of a debt one liquidation may repay while the position is not deeply unhealthy.
    /// @dev Governance only. 0 < `newCloseFactor` ≤ 1e18, a multiple of 1e9 (stored in units of 1e-9).
    /// @param newCloseFactor The close factor in WAD (0.5e18 = 50%).
    function setCloseFactor(uint256 newCloseFactor) external;

    /// @notice Sets the health factor below which the whole debt may be repaid in one call.
    /// @dev Governance only. ≤ 1e18, a multiple of 1e9; 0 disables the rule.
    /// @param newHealthFactor The threshold in WAD (0.95e18).
    function setFullLiquidationHealthFactor(uint256 newHealthFactor) external;

    /// @notice Sets the USD value below which a debt in one asset may be repaid in full (no dust left behind).
    /// @dev Governance only. Fits in 96 bits (≈ $7.9e10); 0 disables the rule.
    /// @param newDustDebtValue The threshold in USD (WAD).
    function setDustDebtValue(uint256 newDustDebtValue) external;

    /// @notice Sets the protocol's share of the liquidation bonus, credited to the collateral reserve.
    /// @dev Governance only. ≤ 1e18, a multiple of 1e9.
    /// @param newProtocolFeeShare The share of the bonus in WAD (0.1e18 = 10% of the bonus).
    function setProtocolFeeShare(uint256 newProtocolFeeShare) external;

    /* VIEW */

    /// @notice The lending pool the engine drives (cached from the registry).
    function pool() external view returns (address);

    /// @notice The price oracle registered when the engine last synced (informational: the pool prices
    ///         liquidations and hands the prices to `quoteLiquidation`).
    function oracle() external view returns (address);

    /// @notice Share of a debt one liquidation may repay while the health factor is at or above
    ///         `fullLiquidationHealthFactor()` (WAD).
    function closeFactor() external view returns (uint256);

    /// @notice Health factor below which the whole debt may be repaid in one call (WAD).
    function fullLiquidationHealthFactor() external view returns (uint256);

    /// @notice USD value (WAD) below which a debt in one asset may be repaid in full.
    function dustDebtValue() external view returns (uint256);

    /// @notice The protocol's share of the liquidation bonus (WAD).
    function protocolFeeShare() external view returns (uint256);

    /// @notice The bonus a liquidation seizing `collateralAsset` would apply at `healthFactor`.
    /// @dev Version 1: the reserve's configured liquidation bonus whatever the health factor.
    /// @param collateralAsset The collateral reserve.
    /// @param healthFactor A health factor (WAD), below 1 for a liquidatable position.
    /// @return bonus The bonus in WAD.
    function liquidationBonusAt(address collateralAsset, uint256 healthFactor) external view returns (uint256 bonus);
}

/// @title ILiquidationEngineV2
/// @notice Version 2 of the liquidation engine: a Dutch auction on the health factor. The interface of version 1
///         is unchanged; only the bonus rule and its two parameters are new.
/// @dev The bonus grows linearly from `auctionStartBonus()` when the health factor is just below 1 to the
///      collateral reserve's configured liquidation bonus (the cap) when the health factor reaches
///      `auctionFloorHealthFactor()`, and stays at the cap below it. It depends only on the health factor, never on
///      time, so a preview is exact and deterministic. The bonus is rounded down (the borrower's favour).
///      A start bonus at or above the cap gives the cap, i.e. version 1's rule. `liquidationBonusAt` returns the
///      start bonus for a health factor ≥ 1 (a position that cannot be liquidated).
interface ILiquidationEngineV2 is ILiquidationEngine {
    /// @notice Emitted when governance changes the auction's starting bonus.
    event AuctionStartBonusSet(uint256 previous, uint256 current);
    /// @notice Emitted when governance changes the health factor at which the auction reaches the cap.
    event AuctionFloorHealthFactorSet(uint256 previous, uint256 current);

    /// @notice Migrates a version-1 proxy to version 2 (run by `upgradeToAndCall`), or completes a fresh
    ///         version-2 deployment after `initialize`.
    /// @dev Governance only; runs once (`reinitializer(2)`). Keeps every version-1 parameter.
    /// @param startBonus The bonus just below a health factor of 1 (WAD).
    /// @param floorHealthFactor The health factor at and below which the bonus is the reserve's cap (WAD, < 1e18).
    function initializeV2(uint256 startBonus, uint256 floorHealthFactor) external;

    /// @notice Sets the auction's starting bonus.
    /// @dev Governance only. ≤ 1e18 (the reserve cap bounds the bonus actually applied).
    /// @param newStartBonus The bonus in WAD.
    function setAuctionStartBonus(uint256 newStartBonus) external;

    /// @notice Sets the health factor at which the bonus reaches the reserve's cap.
    /// @dev Governance only. < 1e18.
    /// @param newFloorHealthFactor The health factor in WAD (0.9e18).
    function setAuctionFloorHealthFactor(uint256 newFloorHealthFactor) external;

    /// @notice The bonus applied just below a health factor of 1 (WAD).
    function auctionStartBonus() external view returns (uint256);

    /// @notice The health factor at and below which the bonus is the collateral reserve's cap (WAD).
    function auctionFloorHealthFactor() external view returns (uint256);
}
