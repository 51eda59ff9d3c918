// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataFixture} from "./utils/StrataFixture.sol";
import {ModuleIds} from "../../contracts/libraries/ModuleIds.sol";
import {ILendingPool} from "../../interfaces/ILendingPool.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";

/// @dev The pool's liquidation hooks (`executeLiquidation`, `writeOffBadDebt`) called directly as the registered
///      engine: the referee's every rule, independently of the engine's policy. Kept apart from LendingPool.t.sol
///      because it is written against the hook interface of ILendingPoolModules, which changes with the engine.
contract LendingPoolLiquidationHooksTest is StrataFixture {
    /* HOOKS: LIQUIDATION (called as the engine) */

    function _liqCall(uint256 repay_, uint256 seize, uint256 fee)
        internal
        view
        returns (ILendingPoolModules.LiquidationCall memory)
    {
        return ILendingPoolModules.LiquidationCall({
            liquidator: liquidator,
            borrower: borrower,
            debtAsset: address(usdc),
            collateralAsset: address(weth),
            repayAmount: repay_,
            seizeAmount: seize,
            protocolFeeAmount: fee
        });
    }

    function _expectInvalidLiquidation(bytes32 reason) internal {
        vm.expectRevert(abi.encodeWithSelector(ILendingPoolModules.LendingPoolInvalidLiquidation.selector, reason));
    }

    function test_executeLiquidation__referee_rules__revert() public {
        _openPosition(15_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataModule.StrataUnauthorizedModule.selector, address(this), ModuleIds.LIQUIDATION_ENGINE
            )
        );
        pool.executeLiquidation(_liqCall(1, 1, 0));
        vm.startPrank(address(engine));
        _expectInvalidLiquidation("ZERO_AMOUNT");
        pool.executeLiquidation(_liqCall(0, 1, 0));
        _expectInvalidLiquidation("FEE_ABOVE_SEIZE");
        pool.executeLiquidation(_liqCall(1, 1, 2));
        _expectInvalidLiquidation("HEALTHY");
        pool.executeLiquidation(_liqCall(1e6, 1, 0));
        vm.stopPrank();

        _skip(30 days); // the borrow index grows above RAY: a 1-unit repay burns no share
        _setPrices(1700e8, 1e8); // HF = 17,000 × 0.85 / 15,000 < 1
        vm.startPrank(address(engine));
        _expectInvalidLiquidation("BONUS_EXCEEDED");
        pool.executeLiquidation(_liqCall(1_000e6, 1e18, 0));
        _expectInvalidLiquidation("OVER_REPAY");
        pool.executeLiquidation(_liqCall(20_000e6, 1e18, 0));
        _expectInvalidLiquidation("ZERO_SHARES");
        pool.executeLiquidation(_liqCall(1, 1, 0));
        ILendingPoolModules.LiquidationCall memory wrong = _liqCall(1_000e6, 1_000e6, 0);
        wrong.collateralAsset = address(usdc);
        _expectInvalidLiquidation("NOT_COLLATERAL");
        pool.executeLiquidation(wrong);
        vm.stopPrank();
        _setPrices(1000e8, 1e8); // the bonus allows more than the borrower holds
        vm.prank(address(engine));
        _expectInvalidLiquidation("OVER_SEIZE");
        pool.executeLiquidation(_liqCall(15_000e6, 10e18 + 1, 0));

        vm.prank(guardian);
        pool.pauseAction(address(usdc), ILendingPool.Action.LIQUIDATE);
        vm.prank(address(engine));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolActionPaused.selector, address(usdc), ILendingPool.Action.LIQUIDATE
            )
        );
        pool.executeLiquidation(_liqCall(1_000e6, 0.1e18, 0));
    }

    /// @dev The account valuation reads each price once, then the bonus check reads them again (debt, collateral).
    function _pricesThenZero(address asset, uint256 price) internal {
        bytes[] memory answers = new bytes[](2);
        answers[0] = abi.encode(price);
        answers[1] = abi.encode(0);
        vm.mockCalls(address(oracle), abi.encodeCall(IPriceOracle.getAssetPrice, (asset)), answers);
    }

    function test_executeLiquidation__zero_price_in_valuation__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        vm.mockCall(address(oracle), abi.encodeCall(IPriceOracle.getAssetPrice, (address(usdc))), abi.encode(0));
        vm.prank(address(engine));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidPrice.selector, address(usdc)));
        pool.executeLiquidation(_liqCall(1_000e6, 0.1e18, 0));
    }

    function test_executeLiquidation__debt_price_zero_in_bonus_check__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        _pricesThenZero(address(usdc), 1e18);
        vm.prank(address(engine));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidPrice.selector, address(usdc)));
        pool.executeLiquidation(_liqCall(1_000e6, 0.1e18, 0));
    }

    function test_executeLiquidation__collateral_price_zero_in_bonus_check__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        _pricesThenZero(address(weth), 1700e18);
        vm.prank(address(engine));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidPrice.selector, address(weth)));
        pool.executeLiquidation(_liqCall(1_000e6, 0.1e18, 0));
    }

    function test_executeLiquidation__seized_cash_flash_lent__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        // All WETH cash is out on a flash loan: the seized collateral cannot be paid out.
        vm.startPrank(address(flash));
        pool.flashLoanLend(address(weth), address(flash), 10e18);
        vm.stopPrank();
        usdc.mint(liquidator, 1_000e6);
        vm.prank(liquidator);
        usdc.approve(address(pool), 1_000e6);
        vm.prank(address(engine));
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInsufficientLiquidity.selector, address(weth), 0.5e18, 0)
        );
        pool.executeLiquidation(_liqCall(1_000e6, 0.5e18, 0));
    }

    /* HOOKS: BAD DEBT */

    function test_writeOffBadDebt__guards__revert() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataModule.StrataUnauthorizedModule.selector, address(this), ModuleIds.LIQUIDATION_ENGINE
            )
        );
        pool.writeOffBadDebt(borrower);
        vm.prank(address(engine));
        vm.expectRevert(abi.encodeWithSelector(ILendingPoolModules.LendingPoolNotBadDebt.selector, borrower));
        pool.writeOffBadDebt(borrower);
        _openPosition(15_000e6);
        vm.prank(address(engine));
        vm.expectRevert(abi.encodeWithSelector(ILendingPoolModules.LendingPoolNotBadDebt.selector, borrower));
        pool.writeOffBadDebt(borrower);
    }

    function test_writeOffBadDebt__no_collateral__socialises_loss() public {
        _openPosition(15_000e6);
        _skip(10 days);
        _setPrices(2000e8, 1e8);
        // Collateral disabled through governance-free means: value it at 0 by removing ltv/threshold is not
        // possible with debt, so seize it all through the hook at a crashed price, then write off.
        _setPrices(1000e8, 1e8); // HF = 10,000 × 0.85 / 15,000
        usdc.mint(liquidator, 10_000e6);
        vm.prank(liquidator);
        usdc.approve(address(pool), type(uint256).max);
        vm.prank(address(engine));
        pool.executeLiquidation(_liqCall(9_600e6, 10e18, 0.1e18));
        assertEq(pool.getAccountData(borrower).collateralValue, 0, "no collateral");
        ILendingPool.ReserveData memory before = pool.getReserveData(address(usdc));
        vm.prank(address(engine));
        uint256 value = pool.writeOffBadDebt(borrower);
        assertGt(value, 5_000e18, "value written off");
        ILendingPool.ReserveData memory afterData = pool.getReserveData(address(usdc));
        assertLt(afterData.liquidityIndex, before.liquidityIndex, "socialised");
        assertEq(pool.getUserConfig(borrower), 0, "bitmap cleared");
    }

    function test_writeOffBadDebt__zero_price__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1000e8, 1e8);
        usdc.mint(liquidator, 10_000e6);
        vm.prank(liquidator);
        usdc.approve(address(pool), type(uint256).max);
        vm.prank(address(engine));
        pool.executeLiquidation(_liqCall(9_600e6, 10e18, 0));
        // The "no collateral" valuation reads the debt price once; the write-off reads it again.
        _pricesThenZero(address(usdc), 1e18);
        vm.prank(address(engine));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidPrice.selector, address(usdc)));
        pool.writeOffBadDebt(borrower);
    }
}
