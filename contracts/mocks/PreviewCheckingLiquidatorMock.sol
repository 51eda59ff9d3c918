// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ILiquidationEngine} from "../../interfaces/ILiquidationEngine.sol";

/// @title PreviewCheckingLiquidatorMock
/// @notice TEST ONLY: a liquidator that previews and liquidates in the same transaction, i.e. in the very same
///         state, and reports the preview next to what really moved (its own token balance changes), so tests can
///         assert `previewLiquidation == liquidate` to the wei even while interest accrues block by block.
contract PreviewCheckingLiquidatorMock {
    using SafeERC20 for IERC20;

    /// @notice The preview, the engine's return value, and the balance changes measured around `liquidate`.
    event Checked(
        uint256 previewRepay,
        uint256 previewSeize,
        uint256 previewFee,
        uint256 executedRepay,
        uint256 executedSeize,
        uint256 executedFee,
        uint256 debtTokenSpent,
        uint256 collateralTokenReceived
    );

    /// @notice Previews, then liquidates with the same arguments; the caller funds this contract beforehand.
    /// @dev `debtAsset` and `collateralAsset` must differ (the balance changes are measured per token).
    function previewAndLiquidate(
        ILiquidationEngine engine,
        address pool,
        address borrower,
        address debtAsset,
        address collateralAsset,
        uint256 repayAmount
    ) external {
        ILiquidationEngine.Liquidation memory preview =
            engine.previewLiquidation(borrower, debtAsset, collateralAsset, repayAmount);
        IERC20(debtAsset).forceApprove(pool, type(uint256).max);
        uint256 debtBefore = IERC20(debtAsset).balanceOf(address(this));
        uint256 collateralBefore = IERC20(collateralAsset).balanceOf(address(this));
        ILiquidationEngine.Liquidation memory executed =
            engine.liquidate(borrower, debtAsset, collateralAsset, repayAmount);
        emit Checked(
            preview.repayAmount,
            preview.seizeAmount,
            preview.protocolFeeAmount,
            executed.repayAmount,
            executed.seizeAmount,
            executed.protocolFeeAmount,
            debtBefore - IERC20(debtAsset).balanceOf(address(this)),
            IERC20(collateralAsset).balanceOf(address(this)) - collateralBefore
        );
    }
}
