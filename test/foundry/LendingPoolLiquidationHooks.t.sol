// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataFixture} from "./utils/StrataFixture.sol";
import {ModuleIds} from "../../contracts/libraries/ModuleIds.sol";
import {ScriptedLiquidationEngineMock} from "../../contracts/mocks/ScriptedLiquidationEngineMock.sol";
import {ILendingPool} from "../../interfaces/ILendingPool.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";
import {ILiquidationEngine} from "../../interfaces/ILiquidationEngine.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";

/// @dev The pool's liquidation referee (`executeLiquidation`'s quote callback, `previewLiquidation`) with a hostile
///      engine: ScriptedLiquidationEngineMock is registered as the LIQUIDATION_ENGINE and quotes whatever the test
///      scripts, so each of the pool's own rules is hit independently of the real engine's policy.
contract LendingPoolLiquidationHooksTest is StrataFixture {
    ScriptedLiquidationEngineMock internal scripted;
    ILendingPoolModules internal poolModules;

    function setUp() public override {
        super.setUp();
        scripted = new ScriptedLiquidationEngineMock();
        registry.setModule(ModuleIds.LIQUIDATION_ENGINE, address(scripted));
        pool.syncModules();
        poolModules = ILendingPoolModules(address(pool));
        usdc.mint(liquidator, 100_000e6);
        vm.prank(liquidator);
        usdc.approve(address(pool), type(uint256).max);
    }

    function _quote(address debtAsset, address collateralAsset, uint256 request, uint256 repay_, uint256 seize, uint256 fee)
        internal
        returns (ILiquidationEngine.Liquidation memory liq, uint256 badDebt)
    {
        return scripted.liquidateWithQuote(
            poolModules, liquidator, borrower, debtAsset, collateralAsset, request, repay_, seize, fee
        );
    }

    function _quote(uint256 repay_, uint256 seize, uint256 fee)
        internal
        returns (ILiquidationEngine.Liquidation memory liq, uint256 badDebt)
    {
        return _quote(address(usdc), address(weth), type(uint256).max, repay_, seize, fee);
    }

    function _expectInvalid(bytes32 reason) internal {
        vm.expectRevert(abi.encodeWithSelector(ILendingPoolModules.LendingPoolInvalidLiquidation.selector, reason));
    }

    /* ACCESS AND PAUSES */

    function test_executeLiquidation__not_the_engine__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IStrataModule.StrataUnauthorizedModule.selector, attacker, ModuleIds.LIQUIDATION_ENGINE)
        );
        poolModules.executeLiquidation(attacker, borrower, address(usdc), address(weth), type(uint256).max);
        // The old engine lost its rights with the registry change.
        vm.prank(address(engine));
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataModule.StrataUnauthorizedModule.selector, address(engine), ModuleIds.LIQUIDATION_ENGINE
            )
        );
        poolModules.executeLiquidation(liquidator, borrower, address(usdc), address(weth), type(uint256).max);
    }

    function test_executeLiquidation__paused__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        vm.prank(guardian);
        pool.pauseAction(address(weth), ILendingPool.Action.LIQUIDATE);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolActionPaused.selector, address(weth), ILendingPool.Action.LIQUIDATE)
        );
        _quote(1_000e6, 0.5e18, 0);
        vm.prank(guardian);
        pool.pauseAction(address(usdc), ILendingPool.Action.LIQUIDATE);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolActionPaused.selector, address(usdc), ILendingPool.Action.LIQUIDATE)
        );
        _quote(1_000e6, 0.5e18, 0);
        vm.prank(guardian);
        IStrataModule(address(pool)).pauseModule();
        vm.expectRevert(IStrataModule.StrataModulePaused.selector);
        _quote(1_000e6, 0.5e18, 0);
        vm.expectRevert(IStrataModule.StrataModulePaused.selector);
        poolModules.previewLiquidation(borrower, address(usdc), address(weth), 1_000e6);
    }

    function test_executeLiquidation__unlisted_reserve__reverts() public {
        _openPosition(15_000e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, attacker));
        _quote(attacker, address(weth), type(uint256).max, 1, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, attacker));
        _quote(address(usdc), attacker, type(uint256).max, 1, 1, 0);
    }

    /* THE REFEREE'S RULES, ONE BY ONE */

    function test_executeLiquidation__hostile_quotes__each_rule_reverts() public {
        _openPosition(15_000e6);
        _expectInvalid("HEALTHY"); // HF = 20,000 × 0.85 / 15,000 > 1
        _quote(1_000e6, 0.5e18, 0);
        _setPrices(1700e8, 1e8); // HF = 17,000 × 0.85 / 15,000 < 1
        _expectInvalid("ZERO_AMOUNT");
        _quote(1_000e6, 0, 0);
        _expectInvalid("FEE_ABOVE_SEIZE");
        _quote(1_000e6, 0.5e18, 0.5e18 + 1);
        _expectInvalid("ABOVE_REQUEST"); // the liquidator allowed 1,000 USDC; the engine quotes 1,000.000001
        _quote(address(usdc), address(weth), 1_000e6, 1_000e6 + 1, 0.5e18, 0);
        _expectInvalid("OVER_REPAY");
        _quote(15_000e6 + 1, 0.5e18, 0);
        _expectInvalid("NOT_COLLATERAL"); // the borrower supplies no USDC
        _quote(address(usdc), address(usdc), type(uint256).max, 1_000e6, 1_000e6, 0);
        _expectInvalid("OVER_SEIZE");
        _quote(15_000e6, 10e18 + 1, 0);
        // 1,000 USDC at a 5% bonus buys at most 1,050 / 1,700 WETH = 0.617647058823529411.
        _expectInvalid("BONUS_EXCEEDED");
        _quote(1_000e6, 0.617647058823529412e18, 0);
        // Debt in a reserve the borrower never borrowed: its debt there is 0.
        _expectInvalid("OVER_REPAY");
        _quote(address(weth), address(weth), type(uint256).max, 1, 1, 0);
        _skip(30 days); // the borrow index grows above RAY: 1 unit repays no debt share
        _setPrices(1700e8, 1e8);
        _expectInvalid("ZERO_SHARES");
        _quote(1, 1, 0);

        assertEq(usdc.balanceOf(liquidator), 100_000e6, "nothing pulled");
        assertEq(weth.balanceOf(address(pool)), 10e18, "nothing seized");
    }

    function test_executeLiquidation__at_the_bonus_limit__executes_and_reports_own_valuation() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        uint256 seize = 0.617647058823529411e18; // ⌊1,050 / 1,700⌋ in WETH units: exactly at the limit
        uint256 fee = 0.01e18;
        ILendingPoolModules.AccountData memory before = poolModules.getAccountData(borrower);
        vm.expectEmit(true, true, true, true, address(pool));
        emit ILendingPoolModules.LiquidationExecuted(liquidator, borrower, address(usdc), address(weth), 1_000e6, seize, fee);
        (ILiquidationEngine.Liquidation memory liq, uint256 badDebt) = _quote(1_000e6, seize, fee);

        assertEq(badDebt, 0, "no bad debt");
        // The mock lies about health factor and prices; the pool reports its own.
        assertEq(liq.healthFactor, before.healthFactor, "pool's health factor");
        assertEq(liq.debtPrice, 1e18, "pool's debt price");
        assertEq(liq.collateralPrice, 1700e18, "pool's collateral price");
        assertFalse(liq.collateralExhausted, "not exhausted");
        assertEq(usdc.balanceOf(liquidator), 99_000e6, "repayment pulled");
        assertEq(weth.balanceOf(liquidator), seize - fee, "seizure minus fee paid out");
        (uint256 supplied, uint256 borrowed,) = poolModules.getUserReserve(address(usdc), borrower);
        assertEq(supplied, 0, "no usdc supply");
        assertEq(borrowed, 14_000e6, "debt reduced");
        (supplied,,) = poolModules.getUserReserve(address(weth), borrower);
        assertEq(supplied, 10e18 - seize, "collateral reduced");
        assertEq(weth.balanceOf(address(pool)), 10e18 - seize + fee, "fee stays in the pool");
    }

    function test_executeLiquidation__whole_debt_and_collateral__no_write_off() public {
        _openPosition(15_000e6);
        _setPrices(1000e8, 1e8); // collateral $10,000 < debt: 15,000 × 1.05 covers all of it
        (ILiquidationEngine.Liquidation memory liq, uint256 badDebt) = _quote(15_000e6, 10e18, 0);
        assertTrue(liq.collateralExhausted, "exhausted");
        assertEq(badDebt, 0, "nothing left to write off");
        assertEq(pool.getUserConfig(borrower), 0, "no supply, no debt");
        assertEq(weth.balanceOf(liquidator), 10e18, "all collateral");
        assertEq(usdc.balanceOf(liquidator), 85_000e6, "whole debt paid");
    }

    function test_executeLiquidation__last_collateral__writes_off_bad_debt() public {
        _openPosition(15_000e6);
        _skip(10 days);
        _setPrices(1000e8, 1e8); // HF = 10,000 × 0.85 / 15,000+
        ILendingPool.ReserveData memory before = pool.getReserveData(address(usdc));
        vm.expectEmit(true, true, false, false, address(pool));
        emit ILendingPoolModules.BadDebtWrittenOff(borrower, address(usdc), 0, 0, 0);
        (ILiquidationEngine.Liquidation memory liq, uint256 badDebt) = _quote(9_600e6, 10e18, 0.1e18);
        assertTrue(liq.collateralExhausted, "exhausted");
        // ~15,000 + 10 days of interest − 9,600 repaid, valued at $1, rounded up.
        assertGt(badDebt, 5_400e18, "bad debt value");
        assertLt(badDebt, 5_600e18, "bad debt value");
        assertEq(pool.getUserConfig(borrower), 0, "bitmap cleared");
        (, uint256 borrowed,) = poolModules.getUserReserve(address(usdc), borrower);
        assertEq(borrowed, 0, "debt written off");
        assertLt(pool.getReserveData(address(usdc)).liquidityIndex, before.liquidityIndex, "suppliers bear the rest");
        assertEq(weth.balanceOf(liquidator), 9.9e18, "seizure minus fee");
    }

    function test_executeLiquidation__last_of_one_collateral_with_another__no_write_off() public {
        _supply(supplier, usdc, 1_000_000e6);
        _supply(borrower, weth, 1e18);
        _supply(borrower, usdc, 10_000e6);
        _borrow(borrower, usdc, 10_000e6);
        _setPrices(500e8, 1e8); // HF = (500 × 0.85 + 10,000 × 0.9) / 10,000 < 1
        (ILiquidationEngine.Liquidation memory liq, uint256 badDebt) = _quote(500e6, 1e18, 0);
        assertTrue(liq.collateralExhausted, "weth exhausted");
        assertEq(badDebt, 0, "usdc collateral left: no write-off");
        (, uint256 borrowed,) = poolModules.getUserReserve(address(usdc), borrower);
        assertEq(borrowed, 9_500e6, "debt kept");
        assertEq(pool.getUserConfig(borrower) & 1, 0, "weth collateral bit cleared");
    }

    function test_executeLiquidation__same_reserve__debt_and_collateral_in_one_word() public {
        _supply(supplier, usdc, 1_000_000e6);
        _supply(borrower, weth, 10e18);
        _supply(borrower, usdc, 1_000e6);
        _borrow(borrower, usdc, 16_000e6);
        _setPrices(1500e8, 1e8); // HF = (15,000 × 0.85 + 1,000 × 0.9) / 16,000 < 1
        (ILiquidationEngine.Liquidation memory liq,) =
            _quote(address(usdc), address(usdc), type(uint256).max, 500e6, 520e6, 2e6);
        assertEq(liq.debtPrice, 1e18, "one price");
        assertEq(liq.collateralPrice, 1e18, "one price");
        (uint256 supplied, uint256 borrowed,) = poolModules.getUserReserve(address(usdc), borrower);
        assertEq(supplied, 480e6, "collateral seized");
        assertEq(borrowed, 15_500e6, "debt repaid");
        assertEq(usdc.balanceOf(liquidator), 100_000e6 - 500e6 + 518e6, "paid 500, received 518");
    }

    /* PRICES, CASH */

    function test_executeLiquidation__zero_price_in_valuation__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        vm.mockCall(address(oracle), abi.encodeCall(IPriceOracle.getAssetPrice, (address(usdc))), abi.encode(0));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidPrice.selector, address(usdc)));
        _quote(1_000e6, 0.5e18, 0);
    }

    function test_executeLiquidation__zero_price_in_write_off__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1000e8, 1e8);
        bytes[] memory answers = new bytes[](2);
        answers[0] = abi.encode(uint256(1e18)); // valuation
        answers[1] = abi.encode(uint256(0)); // write-off value
        vm.mockCalls(address(oracle), abi.encodeCall(IPriceOracle.getAssetPrice, (address(usdc))), answers);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidPrice.selector, address(usdc)));
        _quote(9_600e6, 10e18, 0);
    }

    function test_executeLiquidation__seized_cash_flash_lent__reverts() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        vm.prank(address(flash));
        poolModules.flashLoanLend(address(weth), address(flash), 10e18);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInsufficientLiquidity.selector, address(weth), 0.5e18, 0)
        );
        _quote(1_000e6, 0.5e18, 0);
    }

    /* PREVIEW */

    function test_previewLiquidation__registered_engine_quote__checked_like_execution() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        // The scripted quote lives in transient storage: outside `liquidateWithQuote` it is all zeros.
        _expectInvalid("ZERO_AMOUNT");
        poolModules.previewLiquidation(borrower, address(usdc), address(weth), 1_000e6);
        // With the real engine back, the preview equals the execution.
        registry.setModule(ModuleIds.LIQUIDATION_ENGINE, address(engine));
        pool.syncModules();
        ILiquidationEngine.Liquidation memory p =
            poolModules.previewLiquidation(borrower, address(usdc), address(weth), type(uint256).max);
        assertEq(p.repayAmount, 7_500e6, "close factor 50%");
        assertEq(p.healthFactor, poolModules.getAccountData(borrower).healthFactor, "pool's health factor");
        vm.prank(liquidator);
        ILiquidationEngine.Liquidation memory liq =
            engine.liquidate(borrower, address(usdc), address(weth), type(uint256).max);
        assertEq(liq.repayAmount, p.repayAmount, "same repay");
        assertEq(liq.seizeAmount, p.seizeAmount, "same seize");
        assertEq(liq.protocolFeeAmount, p.protocolFeeAmount, "same fee");
        assertEq(weth.balanceOf(liquidator), p.seizeAmount - p.protocolFeeAmount, "paid out");
    }
}
