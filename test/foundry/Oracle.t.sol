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

    /* BOUND HINTS (FeedPacking) */

    bytes32 internal constant ORACLE_STORAGE = 0x807b48758e31286b1f9703dd7d21a257e8b0dae15751efb80b334a779293e100;

    /// @dev Word 0 of `feeds[asset]`: feed, heartbeat, decimals and, in bits [200, 256), the two 28-bit hints.
    function _word0(address asset) internal view returns (uint256) {
        return uint256(vm.load(address(_oracle()), keccak256(abi.encode(asset, ORACLE_STORAGE))));
    }

    function _decodeHint(uint256 hint) internal pure returns (uint256) {
        return (hint & ((1 << 21) - 1)) << (hint >> 21);
    }

    function _hints(address asset) internal view returns (uint256 minHint, uint256 maxHint) {
        uint256 hints = _word0(asset) >> 200;
        return (_decodeHint(hints >> 28), _decodeHint(hints & ((1 << 28) - 1)));
    }

    function _expectOutOfBounds(uint256 price, uint256 min, uint256 max) internal {
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOraclePriceOutOfBounds.selector, ASSET, price, min, max));
    }

    /// @dev Bounds that no 21-bit-mantissa float represents: the hints are strictly inside, and a price between a
    ///      hint and its bound is judged on the exact bound (the second word).
    function test_hints__price_at_unrepresentable_bounds__exact_bound_decides() public {
        IPriceOracle o = _oracle();
        uint256 min = 1e18 + 1;
        uint256 max = 3e18 - 1;
        MockAggregatorV3 feed = new MockAggregatorV3(18, 2e18); // 18 decimals: the answer is the WAD price
        o.setFeed(ASSET, address(feed), 1 hours, min, max);
        (uint256 minHint, uint256 maxHint) = _hints(ASSET);
        assertGt(minHint, min, "min hint rounded up, inwards");
        assertLt(maxHint, max, "max hint rounded down, inwards");
        assertLe(minHint - min, min >> 20, "within 2**-20");
        assertLe(max - maxHint, max >> 20, "within 2**-20");
        assertEq(o.getAssetPrice(ASSET), 2e18, "inside the hints");
        feed.setAnswer(int256(min)); // between the bound and its hint: fallback to the exact bound
        assertEq(o.getAssetPrice(ASSET), min, "exactly the min bound");
        feed.setAnswer(int256(max));
        assertEq(o.getAssetPrice(ASSET), max, "exactly the max bound");
        feed.setAnswer(int256(minHint - 1));
        assertEq(o.getAssetPrice(ASSET), minHint - 1, "just inside the min bound, outside its hint");
        feed.setAnswer(int256(min - 1));
        _expectOutOfBounds(min - 1, min, max);
        o.getAssetPrice(ASSET);
        feed.setAnswer(int256(max + 1));
        _expectOutOfBounds(max + 1, min, max);
        o.getAssetPrice(ASSET);
    }

    /// @dev The encoder's other branches: bounds under 2**21 (kept exact), an exact power of two, and a round-up
    ///      that carries into a 22nd mantissa bit (2**22 − 1 → 2**22).
    function test_hints__small_exact_and_carry_bounds__accept_exactly_the_bounds() public {
        IPriceOracle o = _oracle();
        MockAggregatorV3 feed = new MockAggregatorV3(18, 1);
        o.setFeed(ASSET, address(feed), 1 hours, 1, (1 << 21) - 1);
        (uint256 minHint, uint256 maxHint) = _hints(ASSET);
        assertEq(minHint, 1, "small min exact");
        assertEq(maxHint, (1 << 21) - 1, "small max exact");
        assertEq(o.getAssetPrice(ASSET), 1, "min accepted");
        feed.setAnswer(1 << 21);
        _expectOutOfBounds(1 << 21, 1, (1 << 21) - 1);
        o.getAssetPrice(ASSET);

        o.setFeed(ASSET, address(feed), 1 hours, (1 << 22) - 1, 1 << 40);
        (minHint, maxHint) = _hints(ASSET);
        assertEq(minHint, 1 << 22, "carry: one exponent step up");
        assertEq(maxHint, 1 << 40, "power of two: exact");
        feed.setAnswer(int256((1 << 22) - 1));
        assertEq(o.getAssetPrice(ASSET), (1 << 22) - 1, "min bound through the exact word");
        feed.setAnswer(1 << 40);
        assertEq(o.getAssetPrice(ASSET), 1 << 40, "max bound inside the hints");
        feed.setAnswer(int256((1 << 22) - 2));
        _expectOutOfBounds((1 << 22) - 2, (1 << 22) - 1, 1 << 40);
        o.getAssetPrice(ASSET);

        o.setFeed(ASSET, address(feed), 1 hours, 1 << 30, type(uint128).max);
        (minHint, maxHint) = _hints(ASSET);
        assertEq(minHint, 1 << 30, "power of two: exact upwards too");
        assertLe(maxHint, type(uint128).max, "largest bound rounded down");
        feed.setAnswer(1 << 30);
        assertEq(o.getAssetPrice(ASSET), 1 << 30, "at the min hint");
    }

    /// @dev `delete` leaves the padding; removeFeed must clear it so that a later entry (or a stale read) never
    ///      inherits old hints. A zero hint word (an entry written without hints) always reads the exact bounds.
    function test_hints__removal_clears_and_zero_hints_read_exact_bounds() public {
        IPriceOracle o = _oracle();
        MockAggregatorV3 feed = new MockAggregatorV3(8, 3e8);
        o.setFeed(ASSET, address(feed), 1 hours, 1e18, 10e18);
        assertGt(_word0(ASSET) >> 200, 0, "hints written");
        o.removeFeed(ASSET);
        assertEq(_word0(ASSET), 0, "word 0 fully cleared, hints included");
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.PriceOracleFeedNotSet.selector, ASSET));
        o.getAssetPrice(ASSET);

        o.setFeed(ASSET, address(feed), 1 hours, 1e18, 10e18);
        bytes32 slot = keccak256(abi.encode(ASSET, ORACLE_STORAGE));
        uint256 word = _word0(ASSET);
        vm.store(address(o), slot, bytes32(word & ((1 << 200) - 1))); // as an earlier build wrote it
        assertEq(o.getAssetPrice(ASSET), 3e18, "accepted through the exact bounds");
        feed.setAnswer(11e8);
        _expectOutOfBounds(11e18, 1e18, 10e18);
        o.getAssetPrice(ASSET);
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

    /// @dev FeedPacking.latestRound decodes by hand: it must be as strict as the ABI decoder.
    function test_latestRound__feed_revert_short_data_wide_round__revert() public {
        bytes memory call_ = abi.encodeWithSignature("latestRoundData()");
        bytes memory reason = abi.encodeWithSignature("Error(string)", "feed down");
        vm.mockCallRevert(address(wethFeed), call_, reason);
        vm.expectRevert(reason); // bubbled up as is
        oracle.getAssetPrice(address(weth));
        vm.clearMockedCalls();

        vm.mockCall(address(wethFeed), call_, abi.encode(uint256(1), int256(2000e8)));
        vm.expectRevert(bytes("")); // short return data
        oracle.getAssetPrice(address(weth));
        vm.clearMockedCalls();

        uint256 wide = uint256(type(uint80).max) + 1;
        vm.mockCall(address(wethFeed), call_, abi.encode(wide, int256(2000e8), block.timestamp, block.timestamp, wide));
        vm.expectRevert(bytes("")); // a round id beyond uint80
        oracle.getAssetPrice(address(weth));
        vm.mockCall(
            address(wethFeed), call_, abi.encode(uint256(1), int256(2000e8), block.timestamp, block.timestamp, wide)
        );
        vm.expectRevert(bytes(""));
        oracle.getAssetPrice(address(weth));
        vm.clearMockedCalls();
        assertEq(oracle.getAssetPrice(address(weth)), 2000e18, "the real feed again");
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
