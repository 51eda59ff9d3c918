// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataFixture} from "./utils/StrataFixture.sol";
import {PriceOracle} from "../../contracts/oracle/PriceOracle.sol";
import {PriceOracleV2} from "../../contracts/oracle/PriceOracleV2.sol";
import {MockAggregatorV3} from "../../contracts/mocks/MockAggregatorV3.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {IPriceOracleV2} from "../../interfaces/IPriceOracleV2.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @dev Shared checks run against PriceOracle (V1) and PriceOracleV2 (same storage, same validation).
abstract contract OracleChecks is StrataFixture {
    address internal constant ASSET = address(0xA55E7);

    function _oracle() internal view virtual returns (IPriceOracle);

    function test_setFeed__validation__reverts() public {
        IPriceOracle o = _oracle();
        MockAggregatorV3 feed = new MockAggregatorV3(8, 1e8);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStrataModule.StrataUnauthorizedGovernance.selector, attacker));
        o.setFeed(ASSET, address(feed), 1, 1, 1);
        vm.expectRevert(IStrataModule.StrataZeroAddress.selector);
        o.setFeed(address(0), address(feed), 1, 1, 1);
        vm.expectRevert(IStrataModule.StrataZeroAddress.selector);
        o.setFeed(ASSET, address(0), 1, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleInvalidHeartbeat.selector, ASSET, 0));
        o.setFeed(ASSET, address(feed), 0, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleInvalidBounds.selector, ASSET, 0, 1));
        o.setFeed(ASSET, address(feed), 1, 0, 1);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleInvalidBounds.selector, ASSET, 2, 1));
        o.setFeed(ASSET, address(feed), 1, 2, 1);
        uint256 tooBig = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleInvalidBounds.selector, ASSET, 1, tooBig));
        o.setFeed(ASSET, address(feed), 1, 1, tooBig);
        feed.setDecimals(19);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleUnsupportedDecimals.selector, address(feed), 19));
        o.setFeed(ASSET, address(feed), 1, 1, 1);
    }

    function test_getAssetPrice__feed_checks() public {
        IPriceOracle o = _oracle();
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleFeedNotSet.selector, ASSET));
        o.getAssetPrice(ASSET);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleFeedNotSet.selector, ASSET));
        o.removeFeed(ASSET);
        MockAggregatorV3 feed = new MockAggregatorV3(8, 3e8);
        o.setFeed(ASSET, address(feed), 1 hours, 1e18, 10e18);
        assertEq(o.getAssetPrice(ASSET), 3e18, "normalised");
        address[] memory assets = new address[](2);
        assets[0] = ASSET;
        assets[1] = address(weth);
        uint256[] memory prices = o.getAssetPrices(assets);
        assertEq(prices[1], 2000e18, "batch");
        assertEq(o.getFeed(ASSET).feed, address(feed), "feed view");

        feed.setRoundData(5, 3e8, block.timestamp, 0, 5);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleIncompleteRound.selector, ASSET, 5, 5, 0));
        o.getAssetPrice(ASSET);
        feed.setRoundData(5, 3e8, block.timestamp, block.timestamp, 4);
        vm.expectRevert(
            abi.encodeWithSelector(IPriceOracle.PriceOracleIncompleteRound.selector, ASSET, 5, 4, block.timestamp)
        );
        o.getAssetPrice(ASSET);
        feed.setAnswer(0);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleNonPositivePrice.selector, ASSET, 0));
        o.getAssetPrice(ASSET);
        feed.setAnswer(3e8);
        feed.setUpdatedAt(block.timestamp + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPriceOracle.PriceOracleFutureTimestamp.selector, ASSET, block.timestamp + 1, block.timestamp
            )
        );
        o.getAssetPrice(ASSET);
        feed.setAnswer(0.5e8);
        vm.expectRevert(
            abi.encodeWithSelector(IPriceOracle.PriceOraclePriceOutOfBounds.selector, ASSET, 0.5e18, 1e18, 10e18)
        );
        o.getAssetPrice(ASSET);
        feed.setAnswer(int256(uint256(type(uint128).max)) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPriceOracle.PriceOraclePriceOutOfBounds.selector, ASSET, type(uint256).max, 1e18, 10e18
            )
        );
        o.getAssetPrice(ASSET);
        o.removeFeed(ASSET);
        assertEq(o.getFeed(ASSET).feed, address(0), "removed");
    }
}

contract PriceOracleTest is OracleChecks {
    function _oracle() internal view override returns (IPriceOracle) {
        return oracle;
    }

    function test_getAssetPrice__stale__reverts() public {
        uint256 updatedAt = block.timestamp;
        _skip(HEARTBEAT + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IPriceOracle.PriceOracleStalePrice.selector, address(weth), updatedAt, HEARTBEAT)
        );
        oracle.getAssetPrice(address(weth));
        assertEq(PriceOracle(address(oracle)).version(), "1.0.0", "version");
    }
}

contract PriceOracleV2Test is OracleChecks {
    IPriceOracleV2 internal v2;
    MockAggregatorV3 internal backup;

    function setUp() public override {
        super.setUp();
        UUPSUpgradeable(address(oracle)).upgradeToAndCall(address(new PriceOracleV2()), "");
        v2 = IPriceOracleV2(address(oracle));
        backup = new MockAggregatorV3(8, 2010e8);
    }

    function _oracle() internal view override returns (IPriceOracle) {
        return oracle;
    }

    function test_fallback__stale_primary__uses_fallback() public {
        v2.setFallbackFeed(address(weth), address(backup), 2 days);
        assertEq(v2.getFallbackFeed(address(weth)).feed, address(backup), "view");
        assertEq(uint256(v2.getPriceSource(address(weth))), uint256(IPriceOracleV2.PriceSource.Primary), "primary");
        _skip(HEARTBEAT + 1);
        backup.setAnswer(2010e8);
        assertEq(v2.getAssetPrice(address(weth)), 2010e18, "fallback price");
        assertEq(uint256(v2.getPriceSource(address(weth))), uint256(IPriceOracleV2.PriceSource.Fallback), "fallback");
        uint256 updatedAt = block.timestamp;
        _skip(2 days + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPriceOracleV2.PriceOracleFallbackStalePrice.selector, address(weth), updatedAt, 2 days
            )
        );
        v2.getAssetPrice(address(weth));
        assertEq(PriceOracleV2(address(oracle)).version(), "2.0.0", "version");
    }

    function test_stale_primary_without_fallback__reverts() public {
        uint256 updatedAt = block.timestamp;
        _skip(HEARTBEAT + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IPriceOracle.PriceOracleStalePrice.selector, address(weth), updatedAt, HEARTBEAT)
        );
        v2.getAssetPrice(address(weth));
    }

    function test_setFallbackFeed__validation() public {
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleFeedNotSet.selector, ASSET));
        v2.setFallbackFeed(ASSET, address(backup), 1);
        vm.expectRevert(
            abi.encodeWithSelector(IPriceOracleV2.PriceOracleFallbackIsPrimary.selector, address(weth), address(wethFeed))
        );
        v2.setFallbackFeed(address(weth), address(wethFeed), 1);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleInvalidHeartbeat.selector, address(weth), 0));
        v2.setFallbackFeed(address(weth), address(backup), 0);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleInvalidHeartbeat.selector, address(weth), 5));
        v2.setFallbackFeed(address(weth), address(0), 5);
        v2.setFallbackFeed(address(weth), address(backup), 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(IPriceOracleV2.PriceOracleFallbackIsPrimary.selector, address(weth), address(backup))
        );
        v2.setFeed(address(weth), address(backup), 1 days, 1, 1e24);
        v2.setFallbackFeed(address(weth), address(0), 0);
        assertEq(v2.getFallbackFeed(address(weth)).feed, address(0), "cleared");
        v2.setFallbackFeed(address(weth), address(backup), 1 days);
        v2.removeFeed(address(weth));
        assertEq(v2.getFallbackFeed(address(weth)).feed, address(0), "fallback removed with primary");
    }

    function test_fresh_v2_proxy__initializes() public {
        IPriceOracleV2 fresh = IPriceOracleV2(
            _proxy(address(new PriceOracleV2()), abi.encodeCall(PriceOracleV2.initialize, (address(registry))))
        );
        fresh.setFeed(address(weth), address(wethFeed), HEARTBEAT, 1, 1e24);
        assertEq(fresh.getAssetPrice(address(weth)), 2000e18, "price");
    }
}
