// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataFixture} from "./utils/StrataFixture.sol";
import {FlashLiquidator} from "../../contracts/periphery/FlashLiquidator.sol";
import {IFlashLiquidator} from "../../interfaces/IFlashLiquidator.sol";
import {ILiquidationEngine} from "../../interfaces/ILiquidationEngine.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashLender} from "@openzeppelin/contracts/interfaces/IERC3156FlashLender.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @dev The keeper's flash executor against the real FlashLoanModule, LiquidationEngine and pool: who may start it,
///      who may call it back, where the repayment comes from (seized collateral of the same asset, inventory left
///      in the executor, the owner's approved balance) and what is paid out.
contract FlashLiquidatorTest is StrataFixture {
    address internal keeper = address(0xEE9);
    FlashLiquidator internal fl;

    function setUp() public override {
        super.setUp();
        fl = new FlashLiquidator(IERC3156FlashLender(address(flash)), engine, keeper);
    }

    /// @dev 10 WETH against 15,000 USDC; at $1,700 the health factor is 0.963: the close factor (50%) applies.
    function _underwater() internal {
        _openPosition(15_000e6);
        _setPrices(1700e8, 1e8);
    }

    /// @dev 10 WETH and 1,000 USDC against 16,000 USDC; at $1,500 the position can be liquidated USDC for USDC.
    function _underwaterSameAsset() internal {
        _supply(supplier, usdc, 1_000_000e6);
        _supply(borrower, weth, 10e18);
        _supply(borrower, usdc, 1_000e6);
        _borrow(borrower, usdc, 16_000e6);
        _setPrices(1500e8, 1e8);
    }

    function _fundKeeper(uint256 amount) internal {
        usdc.mint(keeper, amount);
        vm.prank(keeper);
        usdc.approve(address(fl), type(uint256).max);
    }

    /* ACCESS */

    function test_constructor__zero_addresses__revert() public {
        vm.expectRevert(IFlashLiquidator.FlashLiquidatorZeroAddress.selector);
        new FlashLiquidator(IERC3156FlashLender(address(0)), engine, keeper);
        vm.expectRevert(IFlashLiquidator.FlashLiquidatorZeroAddress.selector);
        new FlashLiquidator(IERC3156FlashLender(address(flash)), ILiquidationEngine(address(0)), keeper);
        assertEq(address(fl.lender()), address(flash), "lender");
        assertEq(address(fl.engine()), address(engine), "engine");
        assertEq(fl.owner(), keeper, "owner");
    }

    function test_liquidate_and_sweep__not_owner__revert() public {
        _underwater();
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, attacker));
        fl.liquidate(borrower, address(usdc), address(weth), 1_000e6);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, attacker));
        fl.sweep(IERC20(address(usdc)), attacker, 1);
    }

    function test_onFlashLoan__untrusted_lender__reverts() public {
        usdc.mint(address(fl), 1_000e6); // something worth stealing
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IFlashLiquidator.FlashLiquidatorUntrustedLender.selector, attacker));
        fl.onFlashLoan(address(fl), address(usdc), 1_000e6, 0, abi.encode(borrower, address(weth)));
        assertEq(usdc.allowance(address(fl), attacker), 0, "no approval given");
    }

    /// @dev The real lender calling back for a loan someone else started (making the executor pay the fee or
    ///      liquidate on a stranger's terms) is refused.
    function test_onFlashLoan__untrusted_initiator__reverts() public {
        _underwater();
        usdc.mint(address(fl), 1_000e6);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IFlashLiquidator.FlashLiquidatorUntrustedInitiator.selector, attacker));
        flash.flashLoan(IERC3156FlashBorrower(address(fl)), address(usdc), 1_000e6, abi.encode(borrower, address(weth)));
        assertEq(usdc.balanceOf(address(fl)), 1_000e6, "inventory kept");
    }

    /* REPAYMENT SOURCES */

    function test_liquidate__shortfall_from_owner__collateral_to_owner() public {
        _underwater();
        uint256 fee = flash.flashFee(address(usdc), 7_500e6);
        assertEq(fee, 3.75e6, "5 bps");
        // The executor does not swap: the USDC lent went into the repayment, so the owner covers loan and fee.
        _fundKeeper(7_510e6);
        ILiquidationEngine.Liquidation memory p =
            engine.previewLiquidation(borrower, address(usdc), address(weth), 7_500e6);
        uint256 received = p.seizeAmount - p.protocolFeeAmount;

        vm.expectEmit(true, true, true, true, address(fl));
        emit IFlashLiquidator.FlashLiquidationExecuted(
            borrower, address(usdc), address(weth), 7_500e6, received, fee, 7_500e6 + fee
        );
        vm.prank(keeper);
        uint256 toOwner = fl.liquidate(borrower, address(usdc), address(weth), 7_500e6);

        assertEq(toOwner, received, "collateral paid out");
        assertEq(weth.balanceOf(keeper), received, "owner holds the collateral");
        assertEq(usdc.balanceOf(keeper), 7_510e6 - 7_500e6 - fee, "owner paid the repayment and the fee");
        assertEq(weth.balanceOf(address(fl)), 0, "nothing left behind");
        assertEq(usdc.balanceOf(address(fl)), 0, "nothing left behind");
        assertEq(usdc.allowance(address(fl), address(pool)), 0, "approval used up");
        (, uint256 borrowed,) = ILendingPoolModules(address(pool)).getUserReserve(address(usdc), borrower);
        assertEq(borrowed, 7_500e6, "half the debt repaid");
    }

    function test_liquidate__inventory_repays__pre_funded_collateral_not_paid_out() public {
        _underwater();
        uint256 fee = flash.flashFee(address(usdc), 7_500e6);
        usdc.mint(address(fl), 7_510e6); // the owner's inventory of the debt asset
        weth.mint(address(fl), 1e18); // and of the collateral asset
        ILiquidationEngine.Liquidation memory p =
            engine.previewLiquidation(borrower, address(usdc), address(weth), 7_500e6);

        vm.prank(keeper);
        uint256 toOwner = fl.liquidate(borrower, address(usdc), address(weth), 7_500e6);

        assertEq(toOwner, p.seizeAmount - p.protocolFeeAmount, "only the seized collateral");
        assertEq(weth.balanceOf(address(fl)), 1e18, "inventory stays");
        assertEq(usdc.balanceOf(address(fl)), 7_510e6 - 7_500e6 - fee, "loan and fee paid from inventory");
        assertEq(usdc.balanceOf(keeper), 0, "nothing pulled from the owner");
    }

    function test_liquidate__same_asset__seizure_repays_the_loan() public {
        _underwaterSameAsset();
        uint256 fee = flash.flashFee(address(usdc), 500e6);
        ILiquidationEngine.Liquidation memory p =
            engine.previewLiquidation(borrower, address(usdc), address(usdc), 500e6);
        uint256 received = p.seizeAmount - p.protocolFeeAmount;
        assertEq(p.repayAmount, 500e6, "whole offer used");
        assertGt(received, 500e6 + fee, "the bonus covers the fee");

        vm.expectEmit(true, true, true, true, address(fl));
        emit IFlashLiquidator.FlashLiquidationExecuted(borrower, address(usdc), address(usdc), 500e6, received, fee, 0);
        vm.prank(keeper);
        uint256 toOwner = fl.liquidate(borrower, address(usdc), address(usdc), 500e6);

        assertEq(toOwner, received - 500e6 - fee, "profit net of the loan and its fee");
        assertEq(usdc.balanceOf(keeper), toOwner, "owner receives the profit");
        assertEq(usdc.balanceOf(address(fl)), 0, "nothing left behind");
    }

    function test_liquidate__engine_caps_the_offer__approval_reset() public {
        _underwater();
        uint256 fee = flash.flashFee(address(usdc), 10_000e6);
        _fundKeeper(10_000e6);
        vm.prank(keeper);
        fl.liquidate(borrower, address(usdc), address(weth), 10_000e6);
        assertEq(usdc.allowance(address(fl), address(pool)), 0, "no approval outlives the call");
        // Borrowed 10,000, repaid 7,500 (close factor): 2,500 + fee come from the owner.
        assertEq(usdc.balanceOf(keeper), 10_000e6 - 7_500e6 - fee, "owner covered the repaid part and fee");
        assertEq(usdc.balanceOf(address(fl)), 0, "loan returned");
    }

    function test_liquidate__owner_cannot_repay__reverts_and_changes_nothing() public {
        _underwater();
        uint256 owed = 7_500e6 + flash.flashFee(address(usdc), 7_500e6);
        _fundKeeper(1e6);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IFlashLiquidator.FlashLiquidatorCannotRepay.selector, address(usdc), owed, 1e6)
        );
        fl.liquidate(borrower, address(usdc), address(weth), 7_500e6);

        // Allowance short of the balance: what can be pulled is the smaller of the two.
        usdc.mint(keeper, 1_000_000e6);
        vm.prank(keeper);
        usdc.approve(address(fl), 2e6);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IFlashLiquidator.FlashLiquidatorCannotRepay.selector, address(usdc), owed, 2e6)
        );
        fl.liquidate(borrower, address(usdc), address(weth), 7_500e6);
        (, uint256 borrowed,) = ILendingPoolModules(address(pool)).getUserReserve(address(usdc), borrower);
        assertEq(borrowed, 15_000e6, "position untouched");
    }

    /* SWEEP */

    function test_sweep__owner__moves_tokens() public {
        usdc.mint(address(fl), 5e6);
        vm.prank(keeper);
        vm.expectRevert(IFlashLiquidator.FlashLiquidatorZeroAddress.selector);
        fl.sweep(IERC20(address(usdc)), address(0), 5e6);
        vm.expectEmit(true, true, false, true, address(fl));
        emit IFlashLiquidator.Swept(address(usdc), keeper, 5e6);
        vm.prank(keeper);
        fl.sweep(IERC20(address(usdc)), keeper, 5e6);
        assertEq(usdc.balanceOf(keeper), 5e6, "swept");
        assertEq(usdc.balanceOf(address(fl)), 0, "empty");
    }
}
