// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ILiquidationEngine} from "../../interfaces/ILiquidationEngine.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";

/// @title ScriptedLiquidationEngineMock
/// @notice TEST ONLY: a stand-in for the liquidation engine whose quote is whatever the test scripts, so the pool's
///         referee can be tested on its own, hostile quotes included (over-seizure, a repayment above the
///         liquidator's request or the debt, a fee above the seizure...). It also forwards any call, like
///         `PoolHookCallerMock`, and records the last snapshot the pool handed it.
/// @dev The scripted amounts live in transient storage: `liquidateWithQuote` sets them and calls the pool in the
///      same transaction, and the pool's static call to `quoteLiquidation` reads them back.
contract ScriptedLiquidationEngineMock {
    // Transient slots of the scripted quote.
    bytes32 private constant REPAY_SLOT = keccak256("ScriptedLiquidationEngineMock.repay");
    bytes32 private constant SEIZE_SLOT = keccak256("ScriptedLiquidationEngineMock.seize");
    bytes32 private constant FEE_SLOT = keccak256("ScriptedLiquidationEngineMock.fee");

    /// @notice Emitted by `liquidateWithQuote` with what the pool executed and wrote off.
    event Executed(uint256 repayAmount, uint256 seizeAmount, uint256 protocolFeeAmount, uint256 badDebtValue);

    /// @notice The pool's callback: returns the scripted amounts, whatever the snapshot says.
    function quoteLiquidation(ILiquidationEngine.LiquidationSnapshot calldata snapshot)
        external
        view
        returns (ILiquidationEngine.Liquidation memory quote)
    {
        bytes32 repaySlot = REPAY_SLOT;
        bytes32 seizeSlot = SEIZE_SLOT;
        bytes32 feeSlot = FEE_SLOT;
        uint256 repay;
        uint256 seize;
        uint256 fee;
        assembly {
            repay := tload(repaySlot)
            seize := tload(seizeSlot)
            fee := tload(feeSlot)
        }
        quote.repayAmount = repay;
        quote.seizeAmount = seize;
        quote.protocolFeeAmount = fee;
        // Lies the pool must not repeat: it reports its own valuation.
        quote.healthFactor = snapshot.healthFactor + 1;
        quote.debtPrice = 1;
        quote.collateralPrice = 1;
    }

    /// @notice Scripts the quote, then asks `pool` to execute a liquidation (this contract must be its engine).
    function liquidateWithQuote(
        ILendingPoolModules pool,
        address liquidator,
        address borrower,
        address debtAsset,
        address collateralAsset,
        uint256 requestedRepay,
        uint256 repay,
        uint256 seize,
        uint256 fee
    ) external returns (ILiquidationEngine.Liquidation memory liquidation, uint256 badDebtValue) {
        bytes32 repaySlot = REPAY_SLOT;
        bytes32 seizeSlot = SEIZE_SLOT;
        bytes32 feeSlot = FEE_SLOT;
        assembly {
            tstore(repaySlot, repay)
            tstore(seizeSlot, seize)
            tstore(feeSlot, fee)
        }
        (liquidation, badDebtValue) =
            pool.executeLiquidation(liquidator, borrower, debtAsset, collateralAsset, requestedRepay);
        emit Executed(liquidation.repayAmount, liquidation.seizeAmount, liquidation.protocolFeeAmount, badDebtValue);
    }

    /// @notice Calls `target` with `data` and returns its result (bubbles up reverts).
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
