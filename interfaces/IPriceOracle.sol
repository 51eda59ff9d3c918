// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title IPriceOracle
/// @notice USD prices of Strata's assets from Chainlink AggregatorV3 feeds, normalised to 18 decimals.
/// @dev The pool and the liquidation engine only call `getAssetPrice`; the rest (feed configuration, errors,
///      events) is the PriceOracle module's governance surface. Reads are views and are never paused: a paused
///      oracle must not freeze liquidations or repayments.
interface IPriceOracle {
    /// @notice The configuration of one asset's feed.
    /// @dev Stored in two slots: feed, heartbeat, decimals (and, in the padding, the bounds rounded inwards: see
    ///      `FeedPacking`) in the first, the exact bounds in the second, so a price well inside the bounds costs
    ///      one storage read; the exact bounds decide every price near or beyond them. `decimals` is read
    ///      from the feed once, in `setFeed`: if a feed ever changes its decimals, governance must call `setFeed`
    ///      again.
    /// @param feed The Chainlink AggregatorV3 feed (its proxy) quoting the asset in USD.
    /// @param heartbeat Maximum age, in seconds, of an accepted answer.
    /// @param decimals The feed's decimals (at most 18).
    /// @param minPriceWad Lowest accepted price, in WAD.
    /// @param maxPriceWad Highest accepted price, in WAD.
    struct FeedConfig {
        address feed;
        uint32 heartbeat;
        uint8 decimals;
        uint128 minPriceWad;
        uint128 maxPriceWad;
    }

    /* ERRORS */

    /// @notice No feed is configured for `asset`.
    error PriceOracleFeedNotSet(address asset);
    /// @notice The feed answered zero or a negative price.
    error PriceOracleNonPositivePrice(address asset, int256 answer);
    /// @notice The feed's latest round is incomplete (`updatedAt` is zero or `answeredInRound < roundId`).
    error PriceOracleIncompleteRound(address asset, uint80 roundId, uint80 answeredInRound, uint256 updatedAt);
    /// @notice The feed's answer is older than the heartbeat.
    error PriceOracleStalePrice(address asset, uint256 updatedAt, uint256 heartbeat);
    /// @notice The feed's answer is timestamped after the current block.
    error PriceOracleFutureTimestamp(address asset, uint256 updatedAt, uint256 blockTimestamp);
    /// @notice The normalised price is outside the bounds governance configured.
    error PriceOraclePriceOutOfBounds(address asset, uint256 priceWad, uint256 minPriceWad, uint256 maxPriceWad);
    /// @notice A heartbeat of zero was given.
    error PriceOracleInvalidHeartbeat(address asset, uint32 heartbeat);
    /// @notice The bounds are empty (`min > max`), zero, or do not fit in 128 bits.
    error PriceOracleInvalidBounds(address asset, uint256 minPriceWad, uint256 maxPriceWad);
    /// @notice The feed reports more than 18 decimals.
    error PriceOracleUnsupportedDecimals(address feed, uint8 decimals);

    /* EVENTS */

    /// @notice Emitted when governance configures (or reconfigures) the feed of `asset`.
    /// @dev Flat fields rather than two FeedConfig tuples, so that indexers and log filters can match them.
    ///      The `previous*` values are all zero for a new asset.
    /// @param asset The asset.
    /// @param previousFeed The feed before.
    /// @param feed The feed now.
    /// @param previousHeartbeat The heartbeat before.
    /// @param heartbeat The heartbeat now.
    /// @param previousMinPriceWad The lower bound before.
    /// @param minPriceWad The lower bound now.
    /// @param previousMaxPriceWad The upper bound before.
    /// @param maxPriceWad The upper bound now.
    event FeedSet(
        address indexed asset,
        address indexed previousFeed,
        address indexed feed,
        uint32 previousHeartbeat,
        uint32 heartbeat,
        uint256 previousMinPriceWad,
        uint256 minPriceWad,
        uint256 previousMaxPriceWad,
        uint256 maxPriceWad
    );

    /// @notice Emitted when governance removes the feed of `asset`.
    /// @param asset The asset.
    /// @param previousFeed The feed that was removed.
    /// @param previousHeartbeat Its heartbeat.
    /// @param previousMinPriceWad Its lower bound.
    /// @param previousMaxPriceWad Its upper bound.
    event FeedRemoved(
        address indexed asset,
        address indexed previousFeed,
        uint32 previousHeartbeat,
        uint256 previousMinPriceWad,
        uint256 previousMaxPriceWad
    );

    /* PRICES */

    /// @notice The USD price of one whole unit of `asset` (10**decimals base units), in WAD (1e18 = $1).
    /// @dev Reverts with a custom error when the feed is missing, stale, non-positive, out of bounds or
    ///      its round is incomplete.
    /// @param asset The asset.
    /// @return priceWad The price in WAD.
    function getAssetPrice(address asset) external view returns (uint256 priceWad);

    /// @notice `getAssetPrice` for several assets at once.
    /// @dev Reverts as a whole if any single price would revert.
    /// @param assets The assets.
    /// @return pricesWad The prices in WAD, in the order of `assets`.
    function getAssetPrices(address[] calldata assets) external view returns (uint256[] memory pricesWad);

    /// @notice The feed configuration of `asset` (all zero when none is set).
    /// @param asset The asset.
    /// @return config The configuration.
    function getFeed(address asset) external view returns (FeedConfig memory config);

    /* ADMIN */

    /// @notice Sets (or replaces) the feed of `asset`, its heartbeat and its accepted price bounds.
    /// @dev Governance only. Reads `feed.decimals()` once and caches it. The bounds are a circuit breaker
    ///      against a feed that breaks (e.g. a minAnswer floor hit during a crash): set them wide enough for
    ///      genuine moves, since a price outside them stops every operation that needs it.
    /// @param asset The asset.
    /// @param feed The AggregatorV3 feed quoting one whole `asset` in USD.
    /// @param heartbeat Maximum accepted age of an answer, in seconds (non-zero; the feed's heartbeat plus a margin).
    /// @param minPriceWad Lowest accepted price, in WAD (non-zero).
    /// @param maxPriceWad Highest accepted price, in WAD (at least `minPriceWad`, below 2**128).
    function setFeed(address asset, address feed, uint32 heartbeat, uint256 minPriceWad, uint256 maxPriceWad)
        external;

    /// @notice Removes the feed of `asset`; its price reads revert from then on.
    /// @dev Governance only. Reverts with `PriceOracleFeedNotSet` when no feed is set.
    /// @param asset The asset.
    function removeFeed(address asset) external;
}
