// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "@openzeppelin/contracts/interfaces/IERC3156FlashLender.sol";
import {ILiquidationEngine} from "./ILiquidationEngine.sol";

/// @title IFlashLiquidator
/// @notice A keeper's own executor for flash-funded liquidations: it flash-borrows the debt asset from Strata's
///         FlashLoanModule, repays the borrower's debt through the LiquidationEngine, and pays the loan plus its
///         fee back in the same transaction. Nothing is swapped. The loan is repaid from, in this order:
///         1. the executor's own balance of the debt asset, which includes the seized collateral when the
///            collateral asset is the debt asset (a same-asset liquidation pays for itself when the net bonus
///            exceeds the flash fee), and any inventory the owner pre-funded the executor with;
///         2. the shortfall, pulled from the owner, up to the allowance the owner gave this executor.
///         Whatever the liquidation leaves in excess, in the collateral asset, is sent to the owner in the same
///         transaction: a pre-funded inventory only ever decreases by what a liquidation used.
/// @dev Not upgradeable and holds no protocol role: one executor per keeper account, deployed by it.
///      Only the owner can start a liquidation. Anyone can call a lender naming this contract as the receiver,
///      so `onFlashLoan` accepts only calls from the configured lender for a loan this contract started itself
///      (`initiator == address(this)`, which only `liquidate` can produce).
///      The executor approves the engine's pool (the pool pulls the repayment from the liquidator) for the exact
///      amount lent and resets that approval before returning; the lender gets an exact approval for
///      `amount + fee`.
interface IFlashLiquidator is IERC3156FlashBorrower {
    /* ERRORS */

    /// @notice `onFlashLoan` was called by someone other than the configured lender.
    /// @param caller The caller.
    error FlashLiquidatorUntrustedLender(address caller);
    /// @notice `onFlashLoan` was called for a loan this contract did not start.
    /// @param initiator The account that started the loan.
    error FlashLiquidatorUntrustedInitiator(address initiator);
    /// @notice The loan plus its fee cannot be repaid: the executor's balance and the owner's allowance (and
    ///         balance) fall short.
    /// @param token The debt asset that was lent.
    /// @param owed The loan plus its fee.
    /// @param available What the executor holds after the liquidation plus what it may pull from the owner.
    error FlashLiquidatorCannotRepay(address token, uint256 owed, uint256 available);
    /// @notice A constructor argument is the zero address.
    error FlashLiquidatorZeroAddress();

    /* EVENTS */

    /// @notice Emitted once per flash-funded liquidation.
    /// @param borrower The account liquidated.
    /// @param debtAsset The asset repaid (and flash-borrowed).
    /// @param collateralAsset The asset seized.
    /// @param repayAmount The debt repaid, in debt-asset units.
    /// @param collateralReceived The collateral received (the seizure minus the protocol's fee).
    /// @param flashFee The flash loan's fee, in debt-asset units.
    /// @param pulledFromOwner The part of the loan's repayment pulled from the owner.
    event FlashLiquidationExecuted(
        address indexed borrower,
        address indexed debtAsset,
        address indexed collateralAsset,
        uint256 repayAmount,
        uint256 collateralReceived,
        uint256 flashFee,
        uint256 pulledFromOwner
    );
    /// @notice Emitted when the owner takes tokens out of the executor.
    event Swept(address indexed token, address indexed to, uint256 amount);

    /* LIQUIDATION */

    /// @notice Flash-borrows `repayAmount` of `debtAsset`, liquidates `borrower` for at most that amount against
    ///         `collateralAsset`, repays the loan and its fee, and sends the collateral gained to the owner.
    /// @dev Owner only. Pass the repayment the engine's `previewLiquidation` returned: the engine caps a larger
    ///      request, and the unused part of the loan goes back to the lender (its fee is still paid).
    ///      Reverts with the engine's, the pool's or the lender's errors, and with `FlashLiquidatorCannotRepay`
    ///      when the loan cannot be repaid: nothing moves then.
    /// @param borrower The account to liquidate.
    /// @param debtAsset The asset to repay, flash-borrowed.
    /// @param collateralAsset The asset to seize.
    /// @param repayAmount The amount flash-borrowed and offered to the engine, in debt-asset units.
    /// @return collateralToOwner The collateral-asset amount sent to the owner (its net gain in that asset).
    function liquidate(address borrower, address debtAsset, address collateralAsset, uint256 repayAmount)
        external
        returns (uint256 collateralToOwner);

    /// @notice Sends `amount` of `token` held by the executor (a pre-funded inventory) to `to`.
    /// @dev Owner only.
    /// @param token The token.
    /// @param to The recipient.
    /// @param amount The amount.
    function sweep(IERC20 token, address to, uint256 amount) external;

    /* VIEW */

    /// @notice The flash lender this executor borrows from and trusts (Strata's FlashLoanModule proxy).
    /// @return The lender.
    function lender() external view returns (IERC3156FlashLender);

    /// @notice The liquidation engine this executor liquidates through (the LiquidationEngine proxy).
    /// @return The engine.
    function engine() external view returns (ILiquidationEngine);
}
