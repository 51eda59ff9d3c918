// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./Test.sol";
import {ModuleRegistry} from "../../../contracts/registry/ModuleRegistry.sol";
import {ModuleProxy} from "../../../contracts/proxy/ModuleProxy.sol";
import {PriceOracle} from "../../../contracts/oracle/PriceOracle.sol";
import {KinkedRateModel} from "../../../contracts/interest/KinkedRateModel.sol";
import {LendingPool} from "../../../contracts/pool/LendingPool.sol";
import {LiquidationEngine} from "../../../contracts/liquidation/LiquidationEngine.sol";
import {FlashLoanModule} from "../../../contracts/flashloan/FlashLoanModule.sol";
import {ModuleIds} from "../../../contracts/libraries/ModuleIds.sol";
import {MockERC20} from "../../../contracts/mocks/MockERC20.sol";
import {MockAggregatorV3} from "../../../contracts/mocks/MockAggregatorV3.sol";
import {IModuleRegistry} from "../../../interfaces/IModuleRegistry.sol";
import {IPriceOracle} from "../../../interfaces/IPriceOracle.sol";
import {ILendingPool} from "../../../interfaces/ILendingPool.sol";
import {ILiquidationEngine} from "../../../interfaces/ILiquidationEngine.sol";
import {IFlashLoanModule} from "../../../interfaces/IFlashLoanModule.sol";

/// @dev The whole protocol behind its proxies, as `strata/protocol.py` deploys it (same parameters), with the test
///      contract as governance. Two markets: WETH (18 decimals, $2,000) and USDC (6 decimals, $1), 8-decimal feeds.
abstract contract StrataFixture is Test {
    uint256 internal constant WAD = 1e18;
    uint32 internal constant HEARTBEAT = 1 days;

    address internal gov = address(this);
    address internal guardian = address(0x6A);
    address internal supplier = address(0x5001);
    address internal borrower = address(0xB001);
    address internal liquidator = address(0x1001);
    address internal attacker = address(0xBAD);

    IModuleRegistry internal registry;
    IPriceOracle internal oracle;
    ILendingPool internal pool;
    ILiquidationEngine internal engine;
    IFlashLoanModule internal flash;
    KinkedRateModel internal stableModel;
    KinkedRateModel internal volatileModel;
    MockERC20 internal weth;
    MockERC20 internal usdc;
    MockAggregatorV3 internal wethFeed;
    MockAggregatorV3 internal usdcFeed;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        registry = IModuleRegistry(
            _proxy(address(new ModuleRegistry()), abi.encodeCall(ModuleRegistry.initialize, (gov, guardian)))
        );
        oracle = IPriceOracle(_proxy(address(new PriceOracle()), abi.encodeCall(PriceOracle.initialize, (address(registry)))));
        registry.setModule(ModuleIds.PRICE_ORACLE, address(oracle));
        stableModel = new KinkedRateModel(0, 0.04e18, 0.9e18, 0.6e18);
        volatileModel = new KinkedRateModel(0, 0.03e18, 0.8e18, 0.8e18);
        pool = ILendingPool(_proxy(address(new LendingPool()), abi.encodeCall(LendingPool.initialize, (address(registry)))));
        registry.setModule(ModuleIds.LENDING_POOL, address(pool));
        engine = ILiquidationEngine(
            _proxy(
                address(new LiquidationEngine()),
                abi.encodeCall(LiquidationEngine.initialize, (address(registry), 0.5e18, 0.95e18, 100e18, 0.1e18))
            )
        );
        registry.setModule(ModuleIds.LIQUIDATION_ENGINE, address(engine));
        flash = IFlashLoanModule(
            _proxy(address(new FlashLoanModule()), abi.encodeCall(FlashLoanModule.initialize, (address(registry), 5)))
        );
        registry.setModule(ModuleIds.FLASH_LOAN_MODULE, address(flash));
        pool.syncModules();

        weth = new MockERC20("Wrapped Ether", "WETH", 18);
        usdc = new MockERC20("USD Coin", "USDC", 6);
        wethFeed = new MockAggregatorV3(8, 2000e8);
        usdcFeed = new MockAggregatorV3(8, 1e8);
        oracle.setFeed(address(weth), address(wethFeed), HEARTBEAT, 1e16, 1e24);
        oracle.setFeed(address(usdc), address(usdcFeed), HEARTBEAT, 1e16, 1e20);
        pool.listReserve(address(weth), _config(8000, 8500, 500, 1500, 0, 0, true), address(volatileModel));
        pool.listReserve(address(usdc), _config(8500, 9000, 400, 1000, 0, 0, true), address(stableModel));
    }

    /* HELPERS */

    function _proxy(address impl, bytes memory data) internal returns (address) {
        return address(new ModuleProxy(impl, data));
    }

    function _config(
        uint16 ltv,
        uint16 threshold,
        uint16 bonus,
        uint16 reserveFactor,
        uint48 supplyCap,
        uint48 borrowCap,
        bool borrowingEnabled
    ) internal pure returns (ILendingPool.ReserveConfig memory) {
        return ILendingPool.ReserveConfig({
            ltv: ltv,
            liquidationThreshold: threshold,
            liquidationBonus: bonus,
            reserveFactor: reserveFactor,
            supplyCap: supplyCap,
            borrowCap: borrowCap,
            borrowingEnabled: borrowingEnabled
        });
    }

    function _supply(address user, MockERC20 token, uint256 amount) internal {
        token.mint(user, amount);
        vm.startPrank(user);
        token.approve(address(pool), amount);
        pool.supply(address(token), amount, user);
        vm.stopPrank();
    }

    function _borrow(address user, MockERC20 token, uint256 amount) internal {
        vm.prank(user);
        pool.borrow(address(token), amount, user);
    }

    /// @dev Supplier brings 1M USDC; borrower puts 10 WETH ($20,000) as collateral and borrows `debt` USDC.
    function _openPosition(uint256 debt) internal {
        _supply(supplier, usdc, 1_000_000e6);
        _supply(borrower, weth, 10e18);
        _borrow(borrower, usdc, debt);
    }

    /// @dev New prices keep the feeds fresh after a warp.
    function _setPrices(int256 wethPrice, int256 usdcPrice) internal {
        wethFeed.setAnswer(wethPrice);
        usdcFeed.setAnswer(usdcPrice);
    }

    function _skip(uint256 seconds_) internal {
        vm.warp(block.timestamp + seconds_);
        vm.roll(block.number + 1);
    }
}
