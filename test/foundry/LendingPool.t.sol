// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataFixture} from "./utils/StrataFixture.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";
import {FeeOnTransferERC20Mock} from "../../contracts/mocks/FeeOnTransferERC20Mock.sol";
import {PoolTestRateModelMock} from "../../contracts/mocks/PoolTestRateModelMock.sol";
import {LendingPool} from "../../contracts/pool/LendingPool.sol";
import {ModuleIds} from "../../contracts/libraries/ModuleIds.sol";
import {ILendingPool} from "../../interfaces/ILendingPool.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @dev The pool's user API, governance API, views and every custom-error path.
contract LendingPoolTest is StrataFixture {
    /* SUPPLY */

    function test_supply__first_supply__enables_collateral() public {
        _supply(supplier, weth, 1e18);
        (uint256 supplied,, bool collateral) = pool.getUserReserve(address(weth), supplier);
        assertEq(supplied, 1e18, "supplied");
        assertTrue(collateral, "collateral on first supply");
        assertEq(pool.getUserConfig(supplier), 1, "bitmap");
        // A second supply keeps the bit.
        _supply(supplier, weth, 1e18);
        assertEq(pool.getUserConfig(supplier), 1, "bitmap after second supply");
    }

    function test_supply__on_behalf__credits_beneficiary() public {
        weth.mint(supplier, 1e18);
        vm.startPrank(supplier);
        weth.approve(address(pool), 1e18);
        pool.supply(address(weth), 1e18, borrower);
        vm.stopPrank();
        (uint256 supplied,,) = pool.getUserReserve(address(weth), borrower);
        assertEq(supplied, 1e18, "beneficiary");
    }

    function test_supply__ltv_zero_reserve__no_collateral() public {
        MockERC20 gov_ = new MockERC20("Zero", "ZRO", 18);
        pool.listReserve(address(gov_), _config(0, 0, 0, 0, 0, 0, false), address(stableModel));
        _supply(supplier, gov_, 1e18);
        (,, bool collateral) = pool.getUserReserve(address(gov_), supplier);
        assertFalse(collateral, "no collateral");
        vm.prank(supplier);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolNotCollateral.selector, address(gov_)));
        pool.setCollateral(address(gov_), true);
    }

    function test_supply__invalid_inputs__revert() public {
        vm.expectRevert(ILendingPool.LendingPoolZeroAmount.selector);
        pool.supply(address(weth), 0, supplier);
        vm.expectRevert(IStrataModule.StrataZeroAddress.selector);
        pool.supply(address(weth), 1, address(0));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, address(0x1234)));
        pool.supply(address(0x1234), 1, supplier);
    }

    function test_supply__paused_action__reverts() public {
        vm.prank(guardian);
        pool.pauseAction(address(weth), ILendingPool.Action.SUPPLY);
        assertTrue(pool.isActionPaused(address(weth), ILendingPool.Action.SUPPLY), "paused");
        weth.mint(supplier, 1);
        vm.prank(supplier);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolActionPaused.selector, address(weth), ILendingPool.Action.SUPPLY
            )
        );
        pool.supply(address(weth), 1, supplier);
        pool.unpauseAction(address(weth), ILendingPool.Action.SUPPLY);
        assertFalse(pool.isActionPaused(address(weth), ILendingPool.Action.SUPPLY), "unpaused");
    }

    function test_supply__module_paused__reverts() public {
        vm.prank(guardian);
        pool.pauseModule();
        vm.expectRevert(IStrataModule.StrataModulePaused.selector);
        pool.supply(address(weth), 1, supplier);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, guardian));
        pool.unpauseModule();
        pool.unpauseModule();
        assertFalse(pool.modulePaused(), "unpaused");
    }

    function test_supply__cap__enforced() public {
        pool.setReserveConfig(address(usdc), _config(8500, 9000, 400, 1000, 1000, 0, true));
        _supply(supplier, usdc, 1000e6);
        usdc.mint(supplier, 1);
        vm.startPrank(supplier);
        usdc.approve(address(pool), 1);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolSupplyCapExceeded.selector, address(usdc), 1000)
        );
        pool.supply(address(usdc), 1, supplier);
        vm.stopPrank();
    }

    function test_supply__dust_after_index_growth__zero_shares() public {
        _openPosition(15_000e6);
        _skip(365 days);
        _setPrices(2000e8, 1e8);
        usdc.mint(supplier, 1);
        vm.startPrank(supplier);
        usdc.approve(address(pool), 1);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolZeroShares.selector, address(usdc), 1));
        pool.supply(address(usdc), 1, supplier);
        vm.stopPrank();
    }

    function test_supply__fee_on_transfer__reverts() public {
        FeeOnTransferERC20Mock fot = new FeeOnTransferERC20Mock("Fee", "FEE", 18, 100);
        pool.listReserve(address(fot), _config(0, 0, 0, 0, 0, 0, false), address(stableModel));
        fot.mint(supplier, 1e18);
        vm.startPrank(supplier);
        fot.approve(address(pool), 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolFeeOnTransferNotSupported.selector, address(fot), 1e18, 0.99e18
            )
        );
        pool.supply(address(fot), 1e18, supplier);
        vm.stopPrank();
    }

    /* WITHDRAW */

    function test_withdraw__partial_and_max__returns_assets() public {
        _supply(supplier, weth, 2e18);
        vm.startPrank(supplier);
        assertEq(pool.withdraw(address(weth), 0.5e18, supplier), 0.5e18, "partial");
        assertEq(pool.withdraw(address(weth), type(uint256).max, supplier), 1.5e18, "max");
        vm.stopPrank();
        assertEq(weth.balanceOf(supplier), 2e18, "balance");
        assertEq(pool.getUserConfig(supplier), 0, "collateral bit cleared");
    }

    function test_withdraw__non_collateral_supply__no_health_check() public {
        _supply(supplier, weth, 1e18);
        vm.startPrank(supplier);
        pool.setCollateral(address(weth), false);
        uint256 wallet = weth.balanceOf(supplier);
        pool.withdraw(address(weth), 0.5e18, supplier);
        vm.stopPrank();
        assertEq(weth.balanceOf(supplier), wallet + 0.5e18, "withdrawn to the wallet");
        (uint256 supplied,, bool usedAsCollateral) = pool.getUserReserve(address(weth), supplier);
        assertEq(supplied, 0.5e18, "the rest still supplied");
        assertFalse(usedAsCollateral, "still not collateral");
    }

    function test_withdraw__invalid_inputs__revert() public {
        vm.expectRevert(ILendingPool.LendingPoolZeroAmount.selector);
        pool.withdraw(address(weth), 0, supplier);
        vm.expectRevert(IStrataModule.StrataZeroAddress.selector);
        pool.withdraw(address(weth), 1, address(0));
        vm.prank(supplier);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInsufficientSupply.selector, address(weth), supplier, 0, 0)
        );
        pool.withdraw(address(weth), type(uint256).max, supplier);
        _supply(supplier, weth, 1e18);
        vm.prank(supplier);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolInsufficientSupply.selector, address(weth), supplier, 2e18, 1e18
            )
        );
        pool.withdraw(address(weth), 2e18, supplier);
        vm.prank(guardian);
        pool.pauseAction(address(weth), ILendingPool.Action.WITHDRAW);
        vm.prank(supplier);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolActionPaused.selector, address(weth), ILendingPool.Action.WITHDRAW
            )
        );
        pool.withdraw(address(weth), 1, supplier);
    }

    function test_withdraw__liquidity_borrowed_out__reverts() public {
        _supply(supplier, usdc, 10_000e6);
        _supply(borrower, weth, 10e18);
        _borrow(borrower, usdc, 10_000e6);
        vm.prank(supplier);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInsufficientLiquidity.selector, address(usdc), 1e6, 0)
        );
        pool.withdraw(address(usdc), 1e6, supplier);
    }

    function test_withdraw__collateral_of_borrower__health_checked() public {
        _openPosition(15_000e6);
        vm.prank(borrower);
        vm.expectRevert(); // LendingPoolHealthFactorTooLow (health factor computed by the pool)
        pool.withdraw(address(weth), 2e18, borrower);
        // A small withdrawal that keeps the health factor above 1 passes.
        vm.prank(borrower);
        pool.withdraw(address(weth), 0.1e18, borrower);
        // The whole collateral: bit cleared, then the health check fails.
        vm.prank(borrower);
        vm.expectRevert();
        pool.withdraw(address(weth), type(uint256).max, borrower);
    }

    /* BORROW */

    function test_borrow__within_power__books_debt() public {
        _openPosition(10_000e6);
        (, uint256 borrowed,) = pool.getUserReserve(address(usdc), borrower);
        assertEq(borrowed, 10_000e6, "debt");
        assertEq(pool.getUserConfig(borrower), 1 | (2 << 2), "bitmap");
        // A second borrow in the same reserve, and one in another reserve after time passed.
        _borrow(borrower, usdc, 1_000e6);
        _supply(supplier, weth, 100e18);
        _skip(1 days);
        _setPrices(2000e8, 1e8);
        _borrow(borrower, weth, 0.1e18);
        ILendingPoolModules.AccountData memory data = pool.getAccountData(borrower);
        assertGt(data.debtValue, 11_000e18, "debt value");
        assertLt(data.healthFactor, type(uint256).max, "health factor");
    }

    function test_borrow__insufficient_collateral__reverts() public {
        _supply(supplier, usdc, 1_000_000e6);
        _supply(borrower, weth, 1e18);
        vm.prank(borrower);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolInsufficientCollateral.selector, borrower, 1600e18, 1600e18 + 1e12
            )
        );
        pool.borrow(address(usdc), 1600e6 + 1, borrower);
    }

    function test_borrow__invalid_inputs__revert() public {
        _supply(supplier, usdc, 1000e6);
        vm.expectRevert(ILendingPool.LendingPoolZeroAmount.selector);
        pool.borrow(address(usdc), 0, borrower);
        _supply(borrower, weth, 10e18);
        vm.prank(borrower);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolInsufficientLiquidity.selector, address(usdc), 2000e6, 1000e6
            )
        );
        pool.borrow(address(usdc), 2000e6, borrower);
        vm.prank(guardian);
        pool.pauseAction(address(usdc), ILendingPool.Action.BORROW);
        vm.prank(borrower);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolActionPaused.selector, address(usdc), ILendingPool.Action.BORROW
            )
        );
        pool.borrow(address(usdc), 1, borrower);
        pool.unpauseAction(address(usdc), ILendingPool.Action.BORROW);
        pool.setReserveConfig(address(usdc), _config(8500, 9000, 400, 1000, 0, 0, false));
        vm.prank(borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolBorrowingDisabled.selector, address(usdc)));
        pool.borrow(address(usdc), 1, borrower);
    }

    function test_borrow__cap__enforced() public {
        pool.setReserveConfig(address(usdc), _config(8500, 9000, 400, 1000, 0, 100, true));
        _openPosition(100e6);
        vm.prank(borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolBorrowCapExceeded.selector, address(usdc), 100));
        pool.borrow(address(usdc), 1, borrower);
    }

    function test_borrow__delegation__spends_allowance() public {
        _supply(supplier, usdc, 100_000e6);
        _supply(borrower, weth, 10e18);
        vm.prank(liquidator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolInsufficientBorrowAllowance.selector,
                borrower,
                liquidator,
                address(usdc),
                0,
                1e6
            )
        );
        pool.borrow(address(usdc), 1e6, borrower);
        vm.prank(borrower);
        pool.approveDelegation(liquidator, address(usdc), 5e6);
        vm.prank(liquidator);
        pool.borrow(address(usdc), 2e6, borrower);
        assertEq(pool.borrowAllowance(borrower, liquidator, address(usdc)), 3e6, "allowance spent");
        assertEq(usdc.balanceOf(liquidator), 2e6, "delegatee received");
        vm.prank(borrower);
        pool.approveDelegation(liquidator, address(usdc), type(uint256).max);
        vm.prank(liquidator);
        pool.borrow(address(usdc), 2e6, borrower);
        assertEq(pool.borrowAllowance(borrower, liquidator, address(usdc)), type(uint256).max, "unlimited");
    }

    /* REPAY */

    function test_repay__partial_then_full__clears_debt_bit() public {
        _openPosition(10_000e6);
        _skip(30 days);
        _setPrices(2000e8, 1e8);
        usdc.mint(borrower, 1_000e6);
        vm.startPrank(borrower);
        usdc.approve(address(pool), type(uint256).max);
        assertEq(pool.repay(address(usdc), 1_000e6, borrower), 1_000e6, "partial");
        uint256 repaid = pool.repay(address(usdc), type(uint256).max, borrower);
        vm.stopPrank();
        assertGt(repaid, 9_000e6, "interest included");
        assertEq(pool.getUserConfig(borrower), 1, "debt bit cleared");
    }

    function test_repay__invalid_inputs__revert() public {
        vm.expectRevert(ILendingPool.LendingPoolZeroAmount.selector);
        pool.repay(address(usdc), 0, borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, address(0x1234)));
        pool.repay(address(0x1234), 1, borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolNoDebt.selector, address(usdc), borrower));
        pool.repay(address(usdc), 1, borrower);
        _openPosition(15_000e6);
        _skip(365 days);
        _setPrices(2000e8, 1e8);
        usdc.mint(borrower, 1);
        vm.startPrank(borrower);
        usdc.approve(address(pool), 1);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolZeroShares.selector, address(usdc), 1));
        pool.repay(address(usdc), 1, borrower);
        vm.stopPrank();
    }

    /* COLLATERAL */

    function test_setCollateral__toggle__checks() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, address(0x1234)));
        pool.setCollateral(address(0x1234), true);
        vm.prank(supplier);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolNoSupply.selector, address(weth), supplier));
        pool.setCollateral(address(weth), true);
        _supply(supplier, weth, 1e18);
        vm.startPrank(supplier);
        pool.setCollateral(address(weth), true); // no-op
        pool.setCollateral(address(weth), false);
        pool.setCollateral(address(weth), true);
        vm.stopPrank();
        _openPosition(15_000e6);
        vm.prank(borrower);
        vm.expectRevert(); // LendingPoolHealthFactorTooLow
        pool.setCollateral(address(weth), false);
    }

    /* HOOKS: FLASH */

    function test_flashHooks__guards__revert() public {
        _supply(supplier, usdc, 1_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataModule.StrataUnauthorizedModule.selector, address(this), ModuleIds.FLASH_LOAN_MODULE
            )
        );
        pool.flashLoanLend(address(usdc), address(this), 1);
        vm.startPrank(address(flash));
        vm.expectRevert(ILendingPool.LendingPoolZeroAmount.selector);
        pool.flashLoanLend(address(usdc), address(this), 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPoolModules.LendingPoolFlashLoanTooLarge.selector, address(usdc), 1_001e6, 1_000e6
            )
        );
        pool.flashLoanLend(address(usdc), address(this), 1_001e6);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolFlashLoanNotOutstanding.selector, address(usdc), 1, 0)
        );
        pool.flashLoanSettle(address(usdc), 1, 0);
        pool.flashLoanLend(address(usdc), address(this), 100e6);
        assertEq(pool.availableLiquidity(address(usdc)), 900e6, "available while lent");
        assertEq(pool.getReserveData(address(usdc)).availableLiquidity, 900e6, "reserve data while lent");
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPoolModules.LendingPoolFlashLoanNotRepaid.selector, address(usdc), 100e6 + 1, 0
            )
        );
        pool.flashLoanSettle(address(usdc), 100e6, 1);
        vm.stopPrank();
        // Lent cash can be neither withdrawn nor taken as reserves.
        vm.prank(supplier);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolInsufficientLiquidity.selector, address(usdc), 1_000e6, 900e6
            )
        );
        pool.withdraw(address(usdc), 1_000e6, supplier);
        usdc.mint(address(this), 1);
        usdc.transfer(address(pool), 100e6 + 1);
        vm.prank(address(flash));
        pool.flashLoanSettle(address(usdc), 100e6, 1);
        assertEq(pool.getReserveData(address(usdc)).protocolReserves, 1, "fee to reserves");
    }

    function test_flashLoanLend__paused__reverts() public {
        vm.prank(guardian);
        pool.pauseAction(address(usdc), ILendingPool.Action.FLASH);
        assertFalse(pool.isFlashLoanAllowed(address(usdc)), "not allowed");
        vm.prank(address(flash));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolActionPaused.selector, address(usdc), ILendingPool.Action.FLASH
            )
        );
        pool.flashLoanLend(address(usdc), address(this), 1);
    }

    /* GOVERNANCE */

    function test_listReserve__rules__revert() public {
        MockERC20 token = new MockERC20("T", "T", 18);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, attacker));
        pool.listReserve(address(token), _config(0, 0, 0, 0, 0, 0, false), address(stableModel));
        vm.expectRevert(IStrataModule.StrataZeroAddress.selector);
        pool.listReserve(address(0), _config(0, 0, 0, 0, 0, 0, false), address(stableModel));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidRateModel.selector, address(0)));
        pool.listReserve(address(token), _config(0, 0, 0, 0, 0, 0, false), address(0));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidRateModel.selector, address(0xdead)));
        pool.listReserve(address(token), _config(0, 0, 0, 0, 0, 0, false), address(0xdead));
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInvalidConfig.selector, bytes32("LTV_NOT_BELOW_THRESHOLD"))
        );
        pool.listReserve(address(token), _config(9000, 9000, 0, 0, 0, 0, false), address(stableModel));
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInvalidConfig.selector, bytes32("THRESHOLD_ABOVE_ONE"))
        );
        pool.listReserve(address(token), _config(9000, 10_001, 0, 0, 0, 0, false), address(stableModel));
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInvalidConfig.selector, bytes32("BONUS_TOO_HIGH"))
        );
        pool.listReserve(address(token), _config(8000, 9600, 500, 0, 0, 0, false), address(stableModel));
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInvalidConfig.selector, bytes32("RESERVE_FACTOR_ABOVE_ONE"))
        );
        pool.listReserve(address(token), _config(0, 0, 0, 10_001, 0, 0, false), address(stableModel));
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolReserveAlreadyListed.selector, address(weth))
        );
        pool.listReserve(address(weth), _config(0, 0, 0, 0, 0, 0, false), address(stableModel));
        MockERC20 wide = new MockERC20("W", "W", 37);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolUnsupportedDecimals.selector, address(wide), 37, 36)
        );
        pool.listReserve(address(wide), _config(0, 0, 0, 0, 0, 0, false), address(stableModel));
    }

    function test_listReserve__max_reserves__reverts() public {
        for (uint256 i = 2; i < 128; ++i) {
            pool.listReserve(address(new MockERC20("T", "T", 18)), _config(0, 0, 0, 0, 0, 0, false), address(stableModel));
        }
        assertEq(pool.getReservesList().length, 128, "listed");
        address extra = address(new MockERC20("T", "T", 18));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolTooManyReserves.selector, 128));
        pool.listReserve(extra, _config(0, 0, 0, 0, 0, 0, false), address(stableModel));
    }

    function test_setReserveConfig_and_rateModel__update__emit_and_store() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, address(0x1234)));
        pool.setReserveConfig(address(0x1234), _config(0, 0, 0, 0, 0, 0, false));
        pool.setReserveConfig(address(weth), _config(7000, 8000, 600, 2000, 5000, 4000, true));
        ILendingPool.ReserveConfig memory cfg = pool.getReserveConfig(address(weth));
        assertEq(cfg.ltv, 7000, "ltv");
        assertEq(cfg.supplyCap, 5000, "supplyCap");
        assertEq(cfg.borrowCap, 4000, "borrowCap");
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, address(0x1234)));
        pool.setRateModel(address(0x1234), address(stableModel));
        pool.setRateModel(address(weth), address(stableModel));
        assertEq(pool.getReserveData(address(weth)).rateModel, address(stableModel), "rate model");
        (uint256 lt, uint256 bonus, uint8 dec) = pool.getLiquidationParams(address(weth));
        assertEq(lt, 0.8e18, "threshold wad");
        assertEq(bonus, 0.06e18, "bonus wad");
        assertEq(dec, 18, "decimals");
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, address(0x1234)));
        pool.getLiquidationParams(address(0x1234));
    }

    function test_rate__runaway_model__capped() public {
        PoolTestRateModelMock runaway = new PoolTestRateModelMock(1e18, 0);
        pool.setRateModel(address(usdc), address(runaway));
        assertEq(pool.getReserveData(address(usdc)).borrowRate, pool.MAX_BORROW_RATE(), "capped");
    }

    function test_withdrawProtocolReserves__paths() public {
        vm.expectRevert(IStrataModule.StrataZeroAddress.selector);
        pool.withdrawProtocolReserves(address(usdc), address(0), 1);
        vm.expectRevert(ILendingPool.LendingPoolZeroAmount.selector);
        pool.withdrawProtocolReserves(address(usdc), gov, 0);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, address(0x1234)));
        pool.withdrawProtocolReserves(address(0x1234), gov, 1);
        _openPosition(15_000e6);
        _skip(365 days);
        _setPrices(2000e8, 1e8);
        uint256 reserves = pool.getReserveData(address(usdc)).protocolReserves;
        assertGt(reserves, 0, "reserves accrued");
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolInsufficientProtocolReserves.selector, address(usdc), reserves + 1, reserves
            )
        );
        pool.withdrawProtocolReserves(address(usdc), gov, reserves + 1);
        assertEq(pool.withdrawProtocolReserves(address(usdc), gov, 1), 1, "one unit");
        assertEq(pool.withdrawProtocolReserves(address(usdc), gov, type(uint256).max), reserves - 1, "the rest");
    }

    function test_withdrawProtocolReserves__no_cash__reverts() public {
        _supply(supplier, usdc, 10_000e6);
        _supply(borrower, weth, 10e18);
        _borrow(borrower, usdc, 10_000e6);
        _skip(365 days);
        _setPrices(2000e8, 1e8);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.LendingPoolInsufficientLiquidity.selector, address(usdc), 1, 0)
        );
        pool.withdrawProtocolReserves(address(usdc), gov, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.LendingPoolInsufficientProtocolReserves.selector,
                address(usdc),
                0,
                pool.getReserveData(address(usdc)).protocolReserves
            )
        );
        pool.withdrawProtocolReserves(address(usdc), gov, type(uint256).max);
    }

    function test_pauseAction__roles__enforced() public {
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGuardian.selector, attacker));
        pool.pauseAction(address(weth), ILendingPool.Action.SUPPLY);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, guardian));
        pool.unpauseAction(address(weth), ILendingPool.Action.SUPPLY);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolReserveNotListed.selector, address(0x1234)));
        pool.pauseAction(address(0x1234), ILendingPool.Action.SUPPLY);
        pool.pauseModule();
        assertFalse(pool.isFlashLoanAllowed(address(weth)), "module paused");
    }

    /* MODULES */

    function test_syncModules__oracle_removed__borrow_reverts() public {
        _supply(supplier, usdc, 1_000e6);
        _supply(borrower, weth, 1e18);
        registry.removeModule(ModuleIds.PRICE_ORACLE);
        pool.syncModules();
        (address o, address e, address f) = pool.cachedModules();
        assertEq(o, address(0), "oracle cleared");
        assertEq(e, address(engine), "engine");
        assertEq(f, address(flash), "flash");
        vm.prank(borrower);
        vm.expectRevert(ILendingPool.LendingPoolOracleNotSet.selector);
        pool.borrow(address(usdc), 1e6, borrower);
    }

    function test_borrow__zero_price__reverts() public {
        _supply(supplier, usdc, 1_000e6);
        _supply(borrower, weth, 1e18);
        vm.mockCall(address(oracle), abi.encodeCall(IPriceOracle.getAssetPrice, (address(weth))), abi.encode(0));
        vm.prank(borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.LendingPoolInvalidPrice.selector, address(weth)));
        pool.borrow(address(usdc), 1e6, borrower);
    }

    /* VIEWS */

    function test_views__unlisted_and_listed() public view {
        ILendingPool.ReserveData memory none = pool.getReserveData(address(0x1234));
        assertEq(none.liquidityIndex, 0, "unlisted data empty");
        (uint256 s, uint256 b, bool c) = pool.getUserReserve(address(0x1234), supplier);
        assertEq(s + b, 0, "unlisted position");
        assertFalse(c, "unlisted collateral");
        ILendingPool.ReserveData memory data = pool.getReserveData(address(usdc));
        assertEq(data.utilization, 0, "no assets");
        assertEq(data.decimals, 6, "decimals");
        assertEq(data.id, 1, "id");
        assertEq(pool.getReservesList().length, 2, "list");
        assertEq(pool.MAX_RESERVES(), 128, "max reserves");
        assertEq(pool.version(), "1.0.0", "version");
        assertEq(pool.registry(), address(registry), "registry");
        assertEq(pool.getAccountData(supplier).healthFactor, type(uint256).max, "no position");
        assertTrue(pool.isFlashLoanAllowed(address(usdc)), "flash allowed");
        assertFalse(pool.isFlashLoanAllowed(address(0x1234)), "unlisted flash");
    }

    function test_views__utilization_with_debt() public {
        _openPosition(10_000e6);
        _skip(1 days);
        ILendingPool.ReserveData memory data = pool.getReserveData(address(usdc));
        assertGe(data.utilization, 0.01e18, "1% utilization and a day of interest");
        assertLt(data.utilization, 0.0101e18, "1% utilization and a day of interest");
        assertGt(data.supplyRate, 0, "supply rate");
        assertGt(data.borrowIndex, 1e27, "borrow index grew");
    }

    /* UPGRADE */

    function test_upgrade__governance_only() public {
        address impl = address(new LendingPool());
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, attacker));
        UUPSUpgradeable(address(pool)).upgradeToAndCall(impl, "");
        UUPSUpgradeable(address(pool)).upgradeToAndCall(impl, "");
        assertEq(pool.version(), "1.0.0", "same version");
    }

    function test_initialize__implementation_and_proxy__locked() public {
        LendingPool impl = new LendingPool();
        vm.expectRevert();
        impl.initialize(address(registry));
        vm.expectRevert();
        pool.initialize(address(registry));
        address impl2 = address(new LendingPool());
        vm.expectRevert(IStrataModule.StrataZeroAddress.selector);
        _proxy(impl2, abi.encodeCall(LendingPool.initialize, (address(0))));
    }
}
