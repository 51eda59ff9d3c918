// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataFixture} from "./utils/StrataFixture.sol";
import {ModuleRegistry} from "../../contracts/registry/ModuleRegistry.sol";
import {LiquidationEngine} from "../../contracts/liquidation/LiquidationEngine.sol";
import {LiquidationEngineV2} from "../../contracts/liquidation/LiquidationEngineV2.sol";
import {ModuleIds} from "../../contracts/libraries/ModuleIds.sol";
import {ILendingPool} from "../../interfaces/ILendingPool.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";
import {ILiquidationEngine, ILiquidationEngineV2} from "../../interfaces/ILiquidationEngine.sol";
import {IModuleRegistry} from "../../interfaces/IModuleRegistry.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @dev LiquidationEngine (V1) and its Dutch-auction upgrade (V2): amounts, close factor, bad debt, admin.
contract LiquidationTest is StrataFixture {
    function setUp() public override {
        super.setUp();
        usdc.mint(liquidator, 1_000_000e6);
        weth.mint(liquidator, 1_000e18);
        vm.startPrank(liquidator);
        usdc.approve(address(pool), type(uint256).max);
        weth.approve(address(pool), type(uint256).max);
        vm.stopPrank();
    }

    function _liquidate(address debtAsset, address collateralAsset, uint256 amount)
        internal
        returns (ILiquidationEngine.Liquidation memory)
    {
        vm.prank(liquidator);
        return engine.liquidate(borrower, debtAsset, collateralAsset, amount);
    }

    /* V1 */

    function test_liquidate__close_factor__half_of_debt() public {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8); // HF = 0.963: above 0.95, debt above dust → 50% close factor
        ILiquidationEngine.Liquidation memory preview =
            engine.previewLiquidation(borrower, address(usdc), address(weth), type(uint256).max);
        assertEq(preview.maxRepayAmount, 7_500e6, "close factor");
        ILiquidationEngine.Liquidation memory liq = _liquidate(address(usdc), address(weth), type(uint256).max);
        assertEq(liq.repayAmount, 7_500e6, "repay");
        assertEq(liq.seizeAmount, preview.seizeAmount, "preview = execution");
        assertGt(liq.protocolFeeAmount, 0, "protocol fee");
        assertEq(weth.balanceOf(liquidator), 1_000e18 + liq.seizeAmount - liq.protocolFeeAmount, "seized");
    }

    function test_liquidate__deep_underwater__full_close_and_bad_debt() public {
        _openPosition(15_000e6);
        _setPrices(1000e8, 1e8); // collateral $10,000 < debt: everything can go, the rest is bad debt
        ILiquidationEngine.Liquidation memory liq = _liquidate(address(usdc), address(weth), type(uint256).max);
        assertTrue(liq.collateralExhausted, "exhausted");
        assertEq(liq.seizeAmount, 10e18, "all collateral");
        (, uint256 debt,) = pool.getUserReserve(address(usdc), borrower);
        assertEq(debt, 0, "bad debt written off");
    }

    function test_liquidate__exhausted_with_other_collateral__no_write_off() public {
        _supply(supplier, usdc, 1_000_000e6);
        _supply(borrower, weth, 10e18);
        _supply(borrower, usdc, 1_000e6);
        _borrow(borrower, usdc, 16_000e6);
        _setPrices(1000e8, 1e8);
        ILiquidationEngine.Liquidation memory liq = _liquidate(address(usdc), address(weth), type(uint256).max);
        assertTrue(liq.collateralExhausted, "exhausted");
        (, uint256 debt,) = pool.getUserReserve(address(usdc), borrower);
        assertGt(debt, 0, "debt stays: USDC collateral left");
    }

    function test_liquidate__exact_collateral__exhausted() public {
        _openPosition(15_000e6);
        _setPrices(1000e8, 1e8);
        ILiquidationEngine.Liquidation memory p =
            engine.previewLiquidation(borrower, address(usdc), address(weth), type(uint256).max);
        // Repay exactly what buys the whole collateral (seize == collateral).
        ILiquidationEngine.Liquidation memory liq = _liquidate(address(usdc), address(weth), p.repayAmount);
        assertTrue(liq.collateralExhausted, "exhausted");
    }

    /// @dev The write-off now runs inside the pool's liquidation: an error there (the debt price read again for the
    ///      write-off's value) reverts the whole liquidation through the engine.
    function test_liquidate__write_off_price_error__bubbles() public {
        _openPosition(15_000e6);
        _setPrices(1000e8, 1e8);
        bytes[] memory answers = new bytes[](2);
        answers[0] = abi.encode(uint256(1e18)); // the valuation's read
        answers[1] = abi.encode(uint256(0)); // the write-off's read
        vm.mockCalls(address(oracle), abi.encodeCall(IPriceOracle.getAssetPrice, (address(usdc))), answers);
        vm.prank(liquidator);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidPrice.selector, address(usdc)));
        engine.liquidate(borrower, address(usdc), address(weth), type(uint256).max);
        assertEq(usdc.balanceOf(liquidator), 1_000_000e6, "nothing pulled");
        assertEq(weth.balanceOf(address(pool)), 10e18, "nothing seized");
    }

    function test_liquidate__dust_debt__full_close() public {
        _openPosition(90e6); // below the $100 dust threshold
        _setPrices(10e8, 1e8); // HF = 100 × 0.85 / 90 < 1, > 0.95
        ILiquidationEngine.Liquidation memory p =
            engine.previewLiquidation(borrower, address(usdc), address(weth), type(uint256).max);
        assertEq(p.maxRepayAmount, 90e6, "dust: whole debt");
        ILiquidationEngine.Liquidation memory liq = _liquidate(address(usdc), address(weth), type(uint256).max);
        assertEq(liq.repayAmount, 90e6, "whole debt repaid");
        assertEq(pool.getUserConfig(borrower) & 8, 0, "debt bit cleared");
    }

    function test_liquidate__weth_debt_usdc_collateral__nothing_to_seize() public {
        _supply(supplier, weth, 100e18);
        _supply(borrower, usdc, 10_000e6);
        _borrow(borrower, weth, 4e18);
        _setPrices(2500e8, 1e8); // HF = 9,000 / 10,000
        vm.prank(liquidator);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.LiquidationEngineNothingToSeize.selector, 1));
        engine.liquidate(borrower, address(weth), address(usdc), 1);
        ILiquidationEngine.Liquidation memory liq = _liquidate(address(weth), address(usdc), 1e18);
        assertEq(liq.repayAmount, 1e18, "repaid");
        assertGt(liq.seizeAmount, 2500e6, "bonus");
    }

    function test_liquidate__guards__revert() public {
        vm.expectRevert(ILiquidationEngine.LiquidationEngineZeroRepay.selector);
        engine.liquidate(borrower, address(usdc), address(weth), 0);
        _openPosition(15_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILiquidationEngine.LiquidationEngineHealthyPosition.selector,
                borrower,
                pool.getAccountData(borrower).healthFactor
            )
        );
        engine.liquidate(borrower, address(usdc), address(weth), 1);
        _setPrices(1700e8, 1e8);
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidationEngine.LiquidationEngineNoDebt.selector, borrower, address(weth))
        );
        engine.liquidate(borrower, address(weth), address(weth), 1);
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidationEngine.LiquidationEngineNoCollateral.selector, borrower, address(usdc))
        );
        engine.liquidate(borrower, address(usdc), address(usdc), 1);
        vm.prank(guardian);
        engine.pauseModule();
        vm.expectRevert(IStrataModule.StrataModulePaused.selector);
        engine.liquidate(borrower, address(usdc), address(weth), 1);
        vm.expectRevert(IStrataModule.StrataModulePaused.selector);
        engine.previewLiquidation(borrower, address(usdc), address(weth), 1);
    }

    function test_engine__not_synced__reverts_until_sync() public {
        IModuleRegistry empty = IModuleRegistry(
            _proxy(address(new ModuleRegistry()), abi.encodeCall(ModuleRegistry.initialize, (gov, guardian)))
        );
        ILiquidationEngine lonely = ILiquidationEngine(
            _proxy(
                address(new LiquidationEngine()),
                abi.encodeCall(LiquidationEngine.initialize, (address(empty), 0.5e18, 0.95e18, 100e18, 0.1e18))
            )
        );
        assertEq(lonely.pool(), address(0), "no pool");
        vm.expectRevert(ILiquidationEngine.LiquidationEngineModulesNotSynced.selector);
        lonely.liquidate(borrower, address(usdc), address(weth), 1);
        vm.expectRevert(ILiquidationEngine.LiquidationEngineModulesNotSynced.selector);
        lonely.liquidationBonusAt(address(weth), 0.9e18);
        vm.expectRevert(
            abi.encodeWithSelector(IModuleRegistry.RegistryModuleNotFound.selector, ModuleIds.LENDING_POOL)
        );
        lonely.syncModules();
        empty.setModule(ModuleIds.LENDING_POOL, address(pool));
        empty.setModule(ModuleIds.PRICE_ORACLE, address(oracle));
        lonely.syncModules();
        assertEq(lonely.pool(), address(pool), "synced pool");
        assertEq(lonely.oracle(), address(oracle), "synced oracle");
    }

    function test_engine__setters__validate_and_store() public {
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, attacker));
        engine.setCloseFactor(0.6e18);
        engine.setCloseFactor(0.6e18);
        engine.setFullLiquidationHealthFactor(0.9e18);
        engine.setDustDebtValue(50e18);
        engine.setProtocolFeeShare(0.2e18);
        assertEq(engine.closeFactor(), 0.6e18, "close factor");
        assertEq(engine.fullLiquidationHealthFactor(), 0.9e18, "full hf");
        assertEq(engine.dustDebtValue(), 50e18, "dust");
        assertEq(engine.protocolFeeShare(), 0.2e18, "fee share");
        assertEq(engine.liquidationBonusAt(address(weth), 0.9e18), 0.05e18, "v1 bonus = max");
        assertEq(engine.version(), "1.0.0", "version");
        _expectInvalid("closeFactor", 0);
        engine.setCloseFactor(0);
        _expectInvalid("closeFactor", 1e18 + 1e9);
        engine.setCloseFactor(1e18 + 1e9);
        _expectInvalid("closeFactor", 0.5e18 + 1);
        engine.setCloseFactor(0.5e18 + 1);
        _expectInvalid("fullLiquidationHealthFactor", 2e18);
        engine.setFullLiquidationHealthFactor(2e18);
        _expectInvalid("fullLiquidationHealthFactor", 1);
        engine.setFullLiquidationHealthFactor(1);
        _expectInvalid("dustDebtValue", uint256(type(uint96).max) + 1);
        engine.setDustDebtValue(uint256(type(uint96).max) + 1);
        _expectInvalid("protocolFeeShare", 2e18);
        engine.setProtocolFeeShare(2e18);
        _expectInvalid("protocolFeeShare", 1);
        engine.setProtocolFeeShare(1);
    }

    function _expectInvalid(bytes32 name, uint256 value) internal {
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidationEngine.LiquidationEngineInvalidParameter.selector, name, value)
        );
    }

    /* V2 */

    function _upgradeToV2(uint256 startBonus, uint256 floor) internal returns (ILiquidationEngineV2 v2) {
        address impl = address(new LiquidationEngineV2());
        UUPSUpgradeable(address(engine)).upgradeToAndCall(
            impl, abi.encodeCall(LiquidationEngineV2.initializeV2, (startBonus, floor))
        );
        v2 = ILiquidationEngineV2(address(engine));
    }

    function test_v2__dutch_auction_bonus__curve() public {
        ILiquidationEngineV2 v2 = _upgradeToV2(0.01e18, 0.8e18);
        assertEq(v2.version(), "2.0.0", "version");
        assertEq(v2.auctionStartBonus(), 0.01e18, "start");
        assertEq(v2.auctionFloorHealthFactor(), 0.8e18, "floor");
        assertEq(v2.closeFactor(), 0.5e18, "V1 state kept");
        assertEq(v2.liquidationBonusAt(address(weth), 1e18), 0.01e18, "start at HF 1");
        assertEq(v2.liquidationBonusAt(address(weth), 0.8e18), 0.05e18, "max at floor");
        assertEq(v2.liquidationBonusAt(address(weth), 0.9e18), 0.03e18, "halfway");
        v2.setAuctionStartBonus(0.06e18);
        assertEq(v2.liquidationBonusAt(address(weth), 0.9e18), 0.05e18, "start above max: max");
        v2.setAuctionFloorHealthFactor(0.5e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILiquidationEngine.LiquidationEngineInvalidParameter.selector, bytes32("auctionStartBonus"), 2e18
            )
        );
        v2.setAuctionStartBonus(2e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILiquidationEngine.LiquidationEngineInvalidParameter.selector,
                bytes32("auctionFloorHealthFactor"),
                1e18
            )
        );
        v2.setAuctionFloorHealthFactor(1e18);
        vm.expectRevert();
        v2.initializeV2(0, 0);
    }

    function test_v2__liquidate__uses_auction_bonus() public {
        ILiquidationEngineV2 v2 = _upgradeToV2(0.01e18, 0.8e18);
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
        vm.prank(liquidator);
        ILiquidationEngine.Liquidation memory liq =
            v2.liquidate(borrower, address(usdc), address(weth), type(uint256).max);
        assertLt(liq.liquidationBonus, 0.05e18, "below the cap");
        assertGt(liq.liquidationBonus, 0.01e18, "above the start");
    }

    function test_v2__fresh_proxy__initializes() public {
        ILiquidationEngineV2 fresh = ILiquidationEngineV2(
            _proxy(
                address(new LiquidationEngineV2()),
                abi.encodeCall(LiquidationEngineV2.initialize, (address(registry), 0.5e18, 0.95e18, 100e18, 0.1e18))
            )
        );
        assertEq(fresh.pool(), address(pool), "pool");
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, attacker));
        fresh.initializeV2(0, 0);
        fresh.initializeV2(0, 0);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, attacker));
        fresh.setAuctionStartBonus(0);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, attacker));
        fresh.setAuctionFloorHealthFactor(0);
    }
}
