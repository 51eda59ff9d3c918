// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../base/StrataModule.sol";
import {FeedPacking} from "../libraries/FeedPacking.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {IPriceOracleV2} from "../../interfaces/IPriceOracleV2.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {AggregatorV3Interface} from "../../interfaces/external/AggregatorV3Interface.sol";

/// @title PriceOracleV2
/// @notice Version 2 of the PriceOracle module: version 1 plus an optional fallback feed per asset, used only
///         while the primary feed is stale.
/// @dev Upgraded in place from version 1 with `upgradeToAndCall(v2, "")`. The namespace is version 1's with one
///      field appended; nothing needs initialising (no asset has a fallback until governance sets one).
/// @custom:oz-upgrades-from contracts/oracle/PriceOracle.sol:PriceOracle
contract PriceOracleV2 is StrataModule, IPriceOracleV2 {
    /* CONSTANTS */

    /// @dev Public like version 1's, so that the ABI only grows.
    string public constant VERSION = "2.0.0";

    uint8 private constant WAD_DECIMALS = 18;

    /* STORAGE */

    /// @dev Append only: `feeds` is version 1's slot 0; 2.0.0 appends `fallbacks` (slot 1). Each `FeedConfig` also
    ///      carries its bound hints in its first word's padding (see FeedPacking).
    /// @custom:storage-location erc7201:strata.storage.PriceOracle
    struct PriceOracleStorage {
        mapping(address asset => FeedConfig) feeds;
        mapping(address asset => FallbackFeedConfig) fallbacks;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.PriceOracle")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant PRICE_ORACLE_STORAGE_LOCATION =
        0x807b48758e31286b1f9703dd7d21a257e8b0dae15751efb80b334a779293e100;

    /* CONSTRUCTOR / INITIALIZER */

    /// @notice Initialises a fresh proxy directly at version 2 (an upgraded proxy keeps its version-1 state).
    /// @param registry_ The module registry (roles come from it).
    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
    }

    /* ADMIN */

    /// @inheritdoc IPriceOracle
    function setFeed(address asset, address feed, uint32 heartbeat, uint256 minPriceWad, uint256 maxPriceWad)
        external
        onlyGovernance
    {
        require(asset != address(0) && feed != address(0), StrataZeroAddress());
        require(heartbeat != 0, PriceOracleInvalidHeartbeat(asset, heartbeat));
        require(
            minPriceWad != 0 && minPriceWad <= maxPriceWad && maxPriceWad <= type(uint128).max,
            PriceOracleInvalidBounds(asset, minPriceWad, maxPriceWad)
        );
        PriceOracleStorage storage $ = _getStorage();
        // A primary equal to the fallback would leave no second source: refused in both directions.
        require(feed != $.fallbacks[asset].feed, PriceOracleFallbackIsPrimary(asset, feed));
        uint8 feedDecimals = _feedDecimals(feed);

        FeedConfig memory previous = $.feeds[asset];
        $.feeds[asset] = FeedConfig({
            feed: feed,
            heartbeat: heartbeat,
            decimals: feedDecimals,
            minPriceWad: uint128(minPriceWad),
            maxPriceWad: uint128(maxPriceWad)
        });
        FeedPacking.storeHints($.feeds[asset], minPriceWad, maxPriceWad);
        emit FeedSet(
            asset,
            previous.feed,
            feed,
            previous.heartbeat,
            heartbeat,
            previous.minPriceWad,
            minPriceWad,
            previous.maxPriceWad,
            maxPriceWad
        );
    }

    /// @inheritdoc IPriceOracle
    /// @dev Also clears the asset's fallback: a fallback must never outlive the primary it was chosen for and
    ///      come back to life when a new primary is set.
    function removeFeed(address asset) external onlyGovernance {
        PriceOracleStorage storage $ = _getStorage();
        FeedConfig memory previous = $.feeds[asset];
        require(previous.feed != address(0), PriceOracleFeedNotSet(asset));
        delete $.feeds[asset];
        FeedPacking.clearHints($.feeds[asset]);
        emit FeedRemoved(asset, previous.feed, previous.heartbeat, previous.minPriceWad, previous.maxPriceWad);
        FallbackFeedConfig memory fallback_ = $.fallbacks[asset];
        if (fallback_.feed != address(0)) {
            delete $.fallbacks[asset];
            emit FallbackFeedSet(asset, fallback_.feed, address(0), fallback_.heartbeat, 0);
        }
    }

    /// @inheritdoc IPriceOracleV2
    function setFallbackFeed(address asset, address feed, uint32 heartbeat) external onlyGovernance {
        PriceOracleStorage storage $ = _getStorage();
        FallbackFeedConfig memory previous = $.fallbacks[asset];
        FallbackFeedConfig memory next;
        if (feed != address(0)) {
            address primary = $.feeds[asset].feed;
            require(primary != address(0), PriceOracleFeedNotSet(asset));
            require(feed != primary, PriceOracleFallbackIsPrimary(asset, feed));
            require(heartbeat != 0, PriceOracleInvalidHeartbeat(asset, heartbeat));
            next = FallbackFeedConfig({feed: feed, heartbeat: heartbeat, decimals: _feedDecimals(feed)});
        } else {
            // Clearing takes no heartbeat: a non-zero one would be a caller mixing up the two calls.
            require(heartbeat == 0, PriceOracleInvalidHeartbeat(asset, heartbeat));
        }
        $.fallbacks[asset] = next;
        emit FallbackFeedSet(asset, previous.feed, feed, previous.heartbeat, heartbeat);
    }

    /* VIEW */

    /// @inheritdoc IPriceOracle
    function getAssetPrice(address asset) external view returns (uint256 priceWad) {
        (priceWad,) = _getAssetPrice(asset);
    }

    /// @inheritdoc IPriceOracle
    function getAssetPrices(address[] calldata assets) external view returns (uint256[] memory pricesWad) {
        uint256 n = assets.length;
        pricesWad = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            (pricesWad[i],) = _getAssetPrice(assets[i]);
        }
    }

    /// @inheritdoc IPriceOracle
    function getFeed(address asset) external view returns (FeedConfig memory config) {
        return _getStorage().feeds[asset];
    }

    /// @inheritdoc IPriceOracleV2
    function getFallbackFeed(address asset) external view returns (FallbackFeedConfig memory config) {
        return _getStorage().fallbacks[asset];
    }

    /// @inheritdoc IPriceOracleV2
    function getPriceSource(address asset) external view returns (PriceSource source) {
        (, source) = _getAssetPrice(asset);
    }

    /// @inheritdoc IStrataModule
    function version() external pure returns (string memory) {
        return VERSION;
    }

    /* INTERNAL */

    function _getAssetPrice(address asset) internal view returns (uint256 priceWad, PriceSource source) {
        PriceOracleStorage storage $ = _getStorage();
        FeedConfig storage f = $.feeds[asset];
        (address feed, uint256 heartbeat, uint256 feedDecimals, uint256 hints) = FeedPacking.loadHot(f);
        require(feed != address(0), PriceOracleFeedNotSet(asset));

        (int256 answer, uint256 updatedAt) = _latestAnswer(asset, feed);
        if (block.timestamp - updatedAt <= heartbeat) {
            return (_normalise(asset, answer, feedDecimals, f, hints), PriceSource.Primary);
        }
        // Stale primary: the fallback's slot is only read on this path, so fresh prices cost what they did in 1.0.0.
        FallbackFeedConfig memory fallback_ = $.fallbacks[asset];
        require(fallback_.feed != address(0), PriceOracleStalePrice(asset, updatedAt, heartbeat));
        (answer, updatedAt) = _latestAnswer(asset, fallback_.feed);
        require(
            block.timestamp - updatedAt <= fallback_.heartbeat,
            PriceOracleFallbackStalePrice(asset, updatedAt, fallback_.heartbeat)
        );
        return (_normalise(asset, answer, fallback_.decimals, f, hints), PriceSource.Fallback);
    }

    /// @dev The checks of version 1 except staleness, which the caller judges against the right heartbeat.
    function _latestAnswer(address asset, address feed) private view returns (int256 answer, uint256 updatedAt) {
        uint256 roundId;
        uint256 answeredInRound;
        (roundId, answer, updatedAt, answeredInRound) = FeedPacking.latestRound(feed);
        require(
            updatedAt != 0 && answeredInRound >= roundId,
            PriceOracleIncompleteRound(asset, uint80(roundId), uint80(answeredInRound), updatedAt)
        );
        require(answer > 0, PriceOracleNonPositivePrice(asset, answer));
        // A timestamp ahead of the chain would make the staleness subtraction underflow: refuse rather than trust it.
        require(updatedAt <= block.timestamp, PriceOracleFutureTimestamp(asset, updatedAt, block.timestamp));
    }

    /// @dev Both feeds of an asset are held to the asset's bounds: a fallback is no way around the circuit breaker.
    function _normalise(
        address asset,
        int256 answer,
        uint256 feedDecimals,
        FeedConfig storage f,
        uint256 hints
    ) private view returns (uint256 priceWad) {
        // Exact: decimals <= 18 is enforced when a feed is set, so scaling up never rounds. An answer above
        // 2**128 is above every max bound (< 2**128), so it is reported as out of bounds instead of overflowing.
        uint256 raw = uint256(answer);
        priceWad = raw > type(uint128).max ? type(uint256).max : raw * 10 ** (WAD_DECIMALS - feedDecimals);
        // Inside the hints is inside the bounds: the bounds' own word is read only near or beyond a bound.
        if (!FeedPacking.withinHints(priceWad, hints)) {
            uint256 minPriceWad = f.minPriceWad;
            uint256 maxPriceWad = f.maxPriceWad;
            require(
                priceWad >= minPriceWad && priceWad <= maxPriceWad,
                PriceOraclePriceOutOfBounds(asset, priceWad, minPriceWad, maxPriceWad)
            );
        }
    }

    function _feedDecimals(address feed) private view returns (uint8 feedDecimals) {
        feedDecimals = AggregatorV3Interface(feed).decimals();
        require(feedDecimals <= WAD_DECIMALS, PriceOracleUnsupportedDecimals(feed, feedDecimals));
    }

    function _getStorage() private pure returns (PriceOracleStorage storage $) {
        assembly ("memory-safe") {
            $.slot := PRICE_ORACLE_STORAGE_LOCATION
        }
    }
}
