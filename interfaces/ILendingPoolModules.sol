// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

import {ILiquidationEngine} from "./ILiquidationEngine.sol";

/// @title ILendingPoolModules
/// @notice The part of the LendingPool that other Strata modules (liquidation, flash loans) build on:
///         restricted hooks that only the address the registry names for that module may call, and the
///         read-only account views those modules need. The user-facing API is in `ILendingPool`.
/// @dev The pool is the referee: every hook re-checks the protocol's invariants itself (the position is
///      really liquidatable, the seized value is within the configured bonus, the flash-lent funds came
///      back with their fee), so a buggy module upgrade hits a revert here instead of draining the pool.
///      Liquidation is a quote callback: the pool values the account once and asks the engine's view policy
///      (`ILiquidationEngine.quoteLiquidation`) for the amounts, then checks them against its own limits.
///      Units: prices and values are in USD with 18 decimals (WAD); factors in WAD (1e18 = 100%);
///      token amounts in the asset's own decimals.
interface ILendingPoolModules {
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

    /// @notice The liquidation engine's quote would break the pool's own rules.
    /// @param reason A short machine-readable reason: "ZERO_AMOUNT", "FEE_ABOVE_SEIZE", "ABOVE_REQUEST" (more
    ///        than the liquidator allowed), "OVER_REPAY" (more than the debt), "NOT_COLLATERAL", "OVER_SEIZE"
    ///        (more than the collateral), "HEALTHY", "BONUS_EXCEEDED", "ZERO_SHARES" (a repayment that cancels no
    ///        debt share).
    error LendingPoolInvalidLiquidation(bytes32 reason);
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

    /// @notice Executes a liquidation for the liquidation engine, on the amounts its policy quotes.
    /// @dev Only the registry's LIQUIDATION_ENGINE. The pool accrues both reserves, values the borrower's account
    ///      once (one price read per reserve) and calls back `quoteLiquidation(snapshot)` on the engine (a static
    ///      call). It then requires: repay and seize non-zero; fee ≤ seize; repay ≤ `repayAmount` (the
    ///      liquidator's request) and ≤ the borrower's debt; `collateralAsset` enabled as the borrower's
    ///      collateral and seize ≤ that collateral; health factor < 1; seized value ≤ repaid value × (1 + the
    ///      collateral reserve's liquidation bonus), at the snapshot's prices; a repayment that cancels at least
    ///      one debt share; enough collateral cash for the payout. Then it burns the debt and collateral shares,
    ///      writes off the borrower's remaining debt if this seizure took its last collateral (for each debt
    ///      reserve: its protocol reserves first, then the suppliers through the liquidity index;
    ///      `BadDebtWrittenOff` per reserve), pulls the repayment from `liquidator` and sends it
    ///      `seize - fee`; the fee stays as protocol reserves. Works while borrowing is paused; stops when
    ///      liquidation is paused on either reserve or the pool is paused.
    /// @param liquidator Pays the repayment (approved to the pool) and receives the collateral.
    /// @param borrower The position being liquidated.
    /// @param debtAsset The reserve whose debt is repaid.
    /// @param collateralAsset The reserve whose collateral is seized.
    /// @param repayAmount The most debt the liquidator will repay (`type(uint256).max`: as much as the engine allows).
    /// @return liquidation The engine's quote as executed (health factor, prices and `collateralExhausted` are the
    ///         pool's own).
    /// @return badDebtValue USD value (WAD, rounded up) of the debt written off; 0 when none was.
    function executeLiquidation(
        address liquidator,
        address borrower,
        address debtAsset,
        address collateralAsset,
        uint256 repayAmount
    ) external returns (ILiquidationEngine.Liquidation memory liquidation, uint256 badDebtValue);

    /// @notice What `executeLiquidation` would execute now, through the same code: the same valuation, the
    ///         registered engine's quote and the same checks.
    /// @dev Reverts where the execution would, except for the liquidator's allowance and balance.
    /// @param borrower The position.
    /// @param debtAsset The reserve whose debt would be repaid.
    /// @param collateralAsset The reserve whose collateral would be seized.
    /// @param repayAmount The most debt to repay.
    /// @return liquidation What would be executed.
    function previewLiquidation(address borrower, address debtAsset, address collateralAsset, uint256 repayAmount)
        external
        view
        returns (ILiquidationEngine.Liquidation memory liquidation);

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
