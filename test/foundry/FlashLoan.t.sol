// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataFixture} from "./utils/StrataFixture.sol";
import {ModuleRegistry} from "../../contracts/registry/ModuleRegistry.sol";
import {FlashLoanModule} from "../../contracts/flashloan/FlashLoanModule.sol";
import {ModuleIds} from "../../contracts/libraries/ModuleIds.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";
import {IFlashLoanModule} from "../../interfaces/IFlashLoanModule.sol";
import {IMultiFlashBorrower} from "../../interfaces/IMultiFlashBorrower.sol";
import {IModuleRegistry} from "../../interfaces/IModuleRegistry.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {ILendingPool} from "../../interfaces/ILendingPool.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";

/// @dev ERC-3156 single and multi-asset flash loans through the module; the test contract is the borrower.
contract FlashLoanTest is StrataFixture, IERC3156FlashBorrower, IMultiFlashBorrower {
    bytes32 internal answer = keccak256("ERC3156FlashBorrower.onFlashLoan");
    bytes32 internal multiAnswer = keccak256("IMultiFlashBorrower.onMultiFlashLoan");
    bool internal approveRepayment = true;
    uint256 internal lastFee;

    function setUp() public override {
        super.setUp();
        _supply(supplier, usdc, 1_000_000e6);
        _supply(supplier, weth, 1_000e18);
        usdc.mint(address(this), 1_000e6);
        weth.mint(address(this), 1e18);
    }

    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        lastFee = fee;
        if (approveRepayment) MockERC20(token).approve(msg.sender, amount + fee);
        return answer;
    }

    function onMultiFlashLoan(
        address,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256[] calldata fees,
        bytes calldata
    ) external returns (bytes32) {
        for (uint256 i; i < tokens.length; ++i) {
            MockERC20(tokens[i]).approve(msg.sender, amounts[i] + fees[i]);
        }
        return multiAnswer;
    }

    function test_flashLoan__default_fee__credited_to_reserves() public {
        assertTrue(flash.flashLoan(this, address(usdc), 100_000e6, ""), "ok");
        assertEq(lastFee, 50e6, "5 bps");
        assertEq(pool.getReserveData(address(usdc)).protocolReserves, 50e6, "fee in reserves");
        assertEq(flash.maxFlashLoan(address(usdc)), 1_000_050e6, "max");
        assertEq(flash.flashFee(address(usdc), 1), 1, "rounded up");
    }

    function test_flashLoan__zero_fee_and_huge_amounts() public {
        flash.setFlashFee(address(usdc), 0);
        flash.flashLoan(this, address(usdc), 1_000e6, "");
        assertEq(lastFee, 0, "no fee");
        assertEq(flash.flashFee(address(weth), 2 ** 200), (uint256(2 ** 200) * 5 + 9_999) / 10_000, "mulDiv path");
    }

    function test_flashLoan__bad_callback__reverts() public {
        answer = bytes32(uint256(1));
        vm.expectRevert(
            abi.encodeWithSelector(IFlashLoanModule.FlashLoanCallbackFailed.selector, address(this), bytes32(uint256(1)))
        );
        flash.flashLoan(this, address(usdc), 1_000e6, "");
        answer = keccak256("ERC3156FlashBorrower.onFlashLoan");
        approveRepayment = false;
        vm.expectRevert(); // SafeERC20: no allowance to pull the repayment
        flash.flashLoan(this, address(usdc), 1_000e6, "");
    }

    function test_flashLoan__disabled_or_paused__reverts() public {
        flash.setFlashLoanEnabled(address(usdc), false);
        assertEq(flash.maxFlashLoan(address(usdc)), 0, "unsupported: 0");
        vm.expectRevert(abi.encodeWithSelector(IFlashLoanModule.FlashLoanUnsupportedToken.selector, address(usdc)));
        flash.flashFee(address(usdc), 1);
        vm.expectRevert(abi.encodeWithSelector(IFlashLoanModule.FlashLoanUnsupportedToken.selector, address(usdc)));
        flash.flashLoan(this, address(usdc), 1, "");
        (bool enabled,,) = flash.getReserveFlashConfig(address(usdc));
        assertFalse(enabled, "disabled");
        flash.setFlashLoanEnabled(address(usdc), true);
        vm.prank(guardian);
        flash.pauseModule();
        vm.expectRevert(IStrataModule.StrataModulePaused.selector);
        flash.flashLoan(this, address(usdc), 1, "");
        vm.expectRevert(IStrataModule.StrataModulePaused.selector);
        flash.flashLoanMulti(address(this), new address[](1), new uint256[](1), "");
    }

    function test_flashLoanMulti__two_assets__settled() public {
        address[] memory tokens = new address[](2);
        uint256[] memory amounts = new uint256[](2);
        tokens[0] = address(usdc);
        tokens[1] = address(weth);
        amounts[0] = 10_000e6;
        amounts[1] = 100e18;
        assertTrue(flash.flashLoanMulti(address(this), tokens, amounts, ""), "ok");
        assertEq(pool.getReserveData(address(weth)).protocolReserves, 0.05e18, "weth fee");
    }

    function test_flashLoanMulti__invalid_batches__revert() public {
        vm.expectRevert(abi.encodeWithSelector(IFlashLoanModule.FlashLoanInvalidBatch.selector, 0, 0));
        flash.flashLoanMulti(address(this), new address[](0), new uint256[](0), "");
        vm.expectRevert(abi.encodeWithSelector(IFlashLoanModule.FlashLoanInvalidBatch.selector, 1, 2));
        flash.flashLoanMulti(address(this), new address[](1), new uint256[](2), "");
        address[] memory tokens = new address[](2);
        tokens[0] = address(usdc);
        tokens[1] = address(usdc);
        uint256[] memory two = new uint256[](2);
        two[0] = 1;
        two[1] = 1;
        vm.expectRevert(abi.encodeWithSelector(IFlashLoanModule.FlashLoanDuplicateToken.selector, address(usdc)));
        flash.flashLoanMulti(address(this), tokens, two, "");
        address[] memory one = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        one[0] = address(usdc);
        amounts[0] = 1e6;
        multiAnswer = bytes32(0);
        vm.expectRevert(
            abi.encodeWithSelector(IFlashLoanModule.FlashLoanCallbackFailed.selector, address(this), bytes32(0))
        );
        flash.flashLoanMulti(address(this), one, amounts, "");
    }

    function test_flashModule__not_synced__reverts() public {
        IModuleRegistry empty = IModuleRegistry(
            _proxy(address(new ModuleRegistry()), abi.encodeCall(ModuleRegistry.initialize, (gov, guardian)))
        );
        IFlashLoanModule lonely = IFlashLoanModule(
            _proxy(address(new FlashLoanModule()), abi.encodeCall(FlashLoanModule.initialize, (address(empty), 0)))
        );
        assertEq(lonely.maxFlashLoan(address(usdc)), 0, "no pool");
        vm.expectRevert(IFlashLoanModule.FlashLoanPoolNotSynced.selector);
        lonely.flashLoan(this, address(usdc), 1, "");
        vm.expectRevert(IFlashLoanModule.FlashLoanPoolNotSynced.selector);
        lonely.flashLoanMulti(address(this), new address[](1), new uint256[](1), "");
        vm.expectRevert(
            abi.encodeWithSelector(IModuleRegistry.RegistryModuleNotFound.selector, ModuleIds.LENDING_POOL)
        );
        lonely.syncPool();
        empty.setModule(ModuleIds.LENDING_POOL, address(pool));
        lonely.syncPool();
        assertEq(lonely.pool(), address(pool), "synced");
        address impl = address(new FlashLoanModule());
        vm.expectRevert(abi.encodeWithSelector(IFlashLoanModule.FlashLoanFeeTooHigh.selector, 101, 100));
        _proxy(impl, abi.encodeCall(FlashLoanModule.initialize, (address(empty), 101)));
    }

    function test_flashModule__fee_admin() public {
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, attacker));
        flash.setFlashFee(address(usdc), 1);
        vm.expectRevert(abi.encodeWithSelector(IFlashLoanModule.FlashLoanFeeTooHigh.selector, 101, 100));
        flash.setFlashFee(address(usdc), 101);
        vm.expectRevert(abi.encodeWithSelector(IFlashLoanModule.FlashLoanFeeTooHigh.selector, 101, 100));
        flash.setDefaultFlashFee(101);
        flash.setFlashFee(address(usdc), 9);
        flash.setFlashFee(address(usdc), 7); // replaces its own fee
        assertEq(flash.flashFeeBps(address(usdc)), 7, "own fee");
        (bool enabled, uint16 fee, bool own) = flash.getReserveFlashConfig(address(usdc));
        assertTrue(enabled && own, "enabled, own");
        assertEq(fee, 7, "fee");
        flash.clearFlashFee(address(usdc));
        flash.clearFlashFee(address(usdc)); // already cleared: default
        flash.setDefaultFlashFee(3);
        assertEq(flash.flashFeeBps(address(usdc)), 3, "default");
        assertEq(flash.defaultFlashFeeBps(), 3, "default view");
        assertEq(flash.MAX_FLASH_FEE_BPS(), 100, "max");
        assertEq(flash.version(), "1.0.0", "version");
        assertEq(flash.pool(), address(pool), "pool");
        flash.syncPool();
    }

    function test_flashLoan__pool_flash_paused__not_offered() public {
        vm.prank(guardian);
        pool.pauseAction(address(usdc), ILendingPool.Action.FLASH);
        assertEq(flash.maxFlashLoan(address(usdc)), 0, "paused in pool");
    }
}
