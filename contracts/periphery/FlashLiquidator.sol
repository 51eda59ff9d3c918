// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "@openzeppelin/contracts/interfaces/IERC3156FlashLender.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ILiquidationEngine} from "../../interfaces/ILiquidationEngine.sol";
import {IFlashLiquidator} from "../../interfaces/IFlashLiquidator.sol";

/// @title FlashLiquidator
/// @notice A keeper's executor for flash-funded liquidations (see IFlashLiquidator).
/// @dev Periphery, not a module: no proxy, no registry entry, no protocol role. The protocol gives it nothing a
///      plain liquidator does not have, so a bug here can only cost its owner.
contract FlashLiquidator is Ownable, IFlashLiquidator {
    using SafeERC20 for IERC20;

    /* CONSTANTS / IMMUTABLES */

    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");

    /// @inheritdoc IFlashLiquidator
    IERC3156FlashLender public immutable lender;
    /// @inheritdoc IFlashLiquidator
    ILiquidationEngine public immutable engine;

    /* CONSTRUCTOR */

    /// @param lender_ Strata's FlashLoanModule (proxy).
    /// @param engine_ Strata's LiquidationEngine (proxy).
    /// @param owner_ The keeper account: the only one that can start a liquidation, and the profit's recipient.
    constructor(IERC3156FlashLender lender_, ILiquidationEngine engine_, address owner_) Ownable(owner_) {
        require(address(lender_) != address(0) && address(engine_) != address(0), FlashLiquidatorZeroAddress());
        lender = lender_;
        engine = engine_;
    }

    /* LIQUIDATION */

    /// @inheritdoc IFlashLiquidator
    function liquidate(address borrower, address debtAsset, address collateralAsset, uint256 repayAmount)
        external
        onlyOwner
        returns (uint256 collateralToOwner)
    {
        // Measured as a difference so that a pre-funded inventory of the collateral asset is never paid out.
        uint256 balanceBefore = IERC20(collateralAsset).balanceOf(address(this));
        lender.flashLoan(this, debtAsset, repayAmount, abi.encode(borrower, collateralAsset));
        uint256 balanceAfter = IERC20(collateralAsset).balanceOf(address(this));
        if (balanceAfter > balanceBefore) {
            collateralToOwner = balanceAfter - balanceBefore;
            IERC20(collateralAsset).safeTransfer(owner(), collateralToOwner);
        }
    }

    /// @inheritdoc IERC3156FlashBorrower
    function onFlashLoan(address initiator, address token, uint256 amount, uint256 fee, bytes calldata data)
        external
        returns (bytes32)
    {
        require(msg.sender == address(lender), FlashLiquidatorUntrustedLender(msg.sender));
        // Only `liquidate` (owner only) makes this contract an initiator: anyone else's loan naming us is refused.
        require(initiator == address(this), FlashLiquidatorUntrustedInitiator(initiator));
        (address borrower, address collateralAsset) = abi.decode(data, (address, address));

        ILiquidationEngine.Liquidation memory liquidation = _liquidate(borrower, token, collateralAsset, amount);
        uint256 owed = amount + fee;
        uint256 pulled = _shortfall(token, owed);

        emit FlashLiquidationExecuted(
            borrower,
            token,
            collateralAsset,
            liquidation.repayAmount,
            liquidation.seizeAmount - liquidation.protocolFeeAmount,
            fee,
            pulled
        );
        if (pulled != 0) IERC20(token).safeTransferFrom(owner(), address(this), pulled);
        // ERC-3156: the lender pulls `amount + fee` from us after this call returns.
        IERC20(token).forceApprove(msg.sender, owed);
        return CALLBACK_SUCCESS;
    }

    /* ADMIN */

    /// @inheritdoc IFlashLiquidator
    function sweep(IERC20 token, address to, uint256 amount) external onlyOwner {
        require(to != address(0), FlashLiquidatorZeroAddress());
        emit Swept(address(token), to, amount);
        token.safeTransfer(to, amount);
    }

    /* INTERNAL */

    function _liquidate(address borrower, address debtAsset, address collateralAsset, uint256 amount)
        private
        returns (ILiquidationEngine.Liquidation memory liquidation)
    {
        // The engine's pool pulls the repayment from its caller, i.e. from here.
        address pool = engine.pool();
        IERC20(debtAsset).forceApprove(pool, amount);
        liquidation = engine.liquidate(borrower, debtAsset, collateralAsset, amount);
        // The engine may cap the repayment below the offer: no approval to the pool outlives this call.
        if (liquidation.repayAmount < amount) IERC20(debtAsset).forceApprove(pool, 0);
    }

    /// @dev What must be pulled from the owner to repay `owed` of `token`; reverts when the owner cannot cover it.
    function _shortfall(address token, uint256 owed) private view returns (uint256 pulled) {
        // Includes the seized collateral when it is the debt asset, and any inventory the owner left here.
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance >= owed) return 0;
        address owner_ = owner();
        uint256 pullable = Math.min(IERC20(token).allowance(owner_, address(this)), IERC20(token).balanceOf(owner_));
        pulled = owed - balance;
        require(pulled <= pullable, FlashLiquidatorCannotRepay(token, owed, balance + pullable));
    }
}
