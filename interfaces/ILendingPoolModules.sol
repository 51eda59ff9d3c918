// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title ILendingPoolModules
/// @notice The part of the LendingPool that other Strata modules (liquidation, flash loans) build on:
///         restricted hooks that only the address the registry names for that module may call, and the
///         read-only account views those modules need. The user-facing API is in `ILendingPool`.
/// @dev The pool is the referee: every hook re-checks the protocol's invariants itself (the position is
///      really liquidatable, the seized value is within the configured bonus, the flash-lent funds came
///      back with their fee), so a buggy module upgrade hits a revert here instead of draining the pool.
///      Units: prices and values are in USD with 18 decimals (WAD); factors in WAD (1e18 = 100%);
///      token amounts in the asset's own decimals.
interface ILendingPoolModules {
    /// @notice What the liquidation engine asks the pool to execute.
    /// @param liquidator Pays `repayAmount` of `debtAsset` (approved to the pool) and receives the collateral.
    /// @param borrower The position being liquidated.
    /// @param debtAsset The reserve whose debt is repaid.
    /// @param collateralAsset The reserve whose collateral is seized.
    /// @param repayAmount Debt repaid, in `debtAsset` units.
    /// @param seizeAmount Collateral taken from the borrower, in `collateralAsset` units, protocol fee included.
    /// @param protocolFeeAmount Part of `seizeAmount` credited to the collateral reserve's protocol reserves
    ///        instead of the liquidator.
    struct LiquidationCall {
        address liquidator;
        address borrower;
        address debtAsset;
        address collateralAsset;
        uint256 repayAmount;
        uint256 seizeAmount;
        uint256 protocolFeeAmount;
    }

    /// @notice One account's standing, valued at oracle prices.
    /// @param collateralValue Sum of collateral enabled as such, in USD (WAD).
    /// @param debtValue Sum of debt, in USD (WAD), rounded up.
    /// @param borrowingPower Sum of collateral value × loan-to-value, in USD (WAD).
    /// @param liquidationThresholdValue Sum of collateral value × liquidation threshold, in USD (WAD).
    /// @param healthFactor liquidationThresholdValue / debtValue in WAD; type(uint256).max without debt.
    struct AccountData {
        uint256 collateralValue;
        uint256 debtValue;
        uint256 borrowingPower;
        uint256 liquidationThresholdValue;
        uint256 healthFactor;
    }

    /// @notice The liquidation engine's request would break the pool's own rules.
    /// @param reason A short machine-readable reason ("HEALTHY", "BONUS_EXCEEDED", "OVER_REPAY", ...).
    error LendingPoolInvalidLiquidation(bytes32 reason);
    /// @notice A bad-debt write-off was asked for an account that still has collateral or has no debt.
    error LendingPoolNotBadDebt(address borrower);
    /// @notice Flash-lent funds did not come back with their fee.
    error LendingPoolFlashLoanNotRepaid(address asset, uint256 expected, uint256 received);
    /// @notice More was asked of a flash loan than the reserve's available liquidity.
    error LendingPoolFlashLoanTooLarge(address asset, uint256 requested, uint256 available);

    /// @notice Emitted by the pool when it executes a liquidation.
    event LiquidationExecuted(
        address indexed liquidator,
        address indexed borrower,
        address indexed debtAsset,
        address collateralAsset,
        uint256 repayAmount,
        uint256 seizeAmount,
        uint256 protocolFeeAmount
    );
    /// @notice Emitted for each reserve when a bad debt is written off.
    /// @param coveredByReserves Part absorbed by the reserve's protocol reserves.
    /// @param socialised Part spread over the reserve's suppliers by lowering the liquidity index.
    event BadDebtWrittenOff(
        address indexed borrower, address indexed asset, uint256 amount, uint256 coveredByReserves, uint256 socialised
    );

    /// @notice Executes a liquidation decided by the liquidation engine.
    /// @dev Only the registry's LIQUIDATION_ENGINE. The pool accrues both reserves, then requires: the
    ///      borrower's health factor < 1; `repayAmount` ≤ the borrower's debt; `seizeAmount` ≤ the borrower's
    ///      collateral; `protocolFeeAmount` ≤ `seizeAmount`; the seized value ≤ the repaid value ×
    ///      (1 + the collateral reserve's liquidation bonus). Then it pulls `repayAmount` from the
    ///      liquidator, burns the borrower's debt, sends `seizeAmount - protocolFeeAmount` of collateral
    ///      to the liquidator and credits `protocolFeeAmount` to protocol reserves. Works while borrowing
    ///      is paused; stops only when liquidation is paused.
    /// @param call_ What to execute.
    function executeLiquidation(LiquidationCall calldata call_) external;

    /// @notice Writes off the debt of an account whose collateral is exhausted.
    /// @dev Only the registry's LIQUIDATION_ENGINE. Requires zero collateral and non-zero debt. For each
    ///      debt reserve the loss is taken first from its protocol reserves, then socialised to its
    ///      suppliers through the liquidity index; emits `BadDebtWrittenOff` per reserve.
    /// @param borrower The account.
    /// @return totalValue The USD value (WAD) of the debt written off.
    function writeOffBadDebt(address borrower) external returns (uint256 totalValue);

    /// @notice Sends `amount` of `asset` to `receiver` for the duration of a flash loan.
    /// @dev Only the registry's FLASH_LOAN_MODULE. Requires the reserve to be active with flash loans not
    ///      paused and `amount` ≤ available liquidity. Interest rates keep counting the lent amount as
    ///      liquidity, so the temporary drop distorts nothing. Emits nothing: the module's event describes
    ///      the whole loan (receiver, initiator, asset, amount, fee).
    function flashLoanLend(address asset, address receiver, uint256 amount) external;

    /// @notice Settles a flash loan: the module has moved `amount + fee` of `asset` back into the pool.
    /// @dev Only the registry's FLASH_LOAN_MODULE. Reverts with `LendingPoolFlashLoanNotRepaid` unless the
    ///      pool's balance covers its books plus `fee`. Credits `fee` to the reserve's protocol reserves (cash,
    ///      no shares). Neither accrues nor recomputes the rate: the loan never changed the books, so interest
    ///      since the last operation accrues at the stored rate on the next one, which also refreshes the rate
    ///      (until then it is the rate of one fee less of cash: at most that fee's share of utilisation
    ///      higher). Emits nothing (see `flashLoanLend`).
    function flashLoanSettle(address asset, uint256 amount, uint256 fee) external;

    /// @notice An account's collateral, debt, borrowing power and health factor at current prices.
    /// @param user The account.
    /// @return data The account's standing (see `AccountData`).
    function getAccountData(address user) external view returns (AccountData memory data);

    /// @notice An account's position in one reserve, in assets, with interest up to now.
    /// @param asset The reserve's asset.
    /// @param user The account.
    /// @return supplied Assets the account can withdraw (rounded down).
    /// @return borrowed Assets the account owes (rounded up).
    /// @return usedAsCollateral Whether the supply counts as collateral.
    function getUserReserve(address asset, address user)
        external
        view
        returns (uint256 supplied, uint256 borrowed, bool usedAsCollateral);

    /// @notice The assets listed as reserves, in listing order.
    /// @return The reserves' asset addresses.
    function getReservesList() external view returns (address[] memory);

    /// @notice A reserve's risk parameters as liquidation needs them.
    /// @param asset The reserve's asset.
    /// @return liquidationThreshold In WAD.
    /// @return liquidationBonus In WAD (0.05e18 = 5% on top of the repaid value).
    /// @return decimals The asset's decimals.
    function getLiquidationParams(address asset)
        external
        view
        returns (uint256 liquidationThreshold, uint256 liquidationBonus, uint8 decimals);

    /// @notice Liquidity a flash loan can take from the reserve now (0 for an unknown asset).
    /// @param asset The reserve's asset.
    /// @return The available amount in the asset's units.
    function availableLiquidity(address asset) external view returns (uint256);

    /// @notice Whether flash loans are allowed on the reserve (listed, active, not paused).
    /// @param asset The reserve's asset.
    /// @return True when flash loans are allowed.
    function isFlashLoanAllowed(address asset) external view returns (bool);
}
