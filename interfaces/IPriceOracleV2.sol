// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

import {IPriceOracle} from "./IPriceOracle.sol";

/// @title IPriceOracleV2
/// @notice Version 2 of the PriceOracle module: every asset may have, besides its primary Chainlink feed, an
///         optional fallback feed that prices it while the primary is stale.
/// @dev Installed by upgrading the version-1 proxy in place (`upgradeToAndCall(v2, "")`: nothing to migrate,
///      no asset has a fallback until governance sets one). Version 1's behaviour is unchanged for assets
///      without a fallback, and for every failure of the primary other than staleness: an incomplete round, a
///      non-positive answer, a timestamp in the future or a price outside the bounds still revert. Those are
///      a broken feed, not a late one, and switching sources silently would hide the breakage.
interface IPriceOracleV2 is IPriceOracle {
    /// @notice The fallback feed of one asset.
    /// @dev One slot. The asset's bounds (`FeedConfig.minPriceWad`/`maxPriceWad`) apply to the fallback's price too.
    /// @param feed The fallback AggregatorV3 feed quoting one whole asset in USD (zero when none is set).
    /// @param heartbeat Maximum age, in seconds, of an accepted fallback answer.
    /// @param decimals The fallback feed's decimals (at most 18), read once when it is set.
    struct FallbackFeedConfig {
        address feed;
        uint32 heartbeat;
        uint8 decimals;
    }

    /// @notice Where a price comes from right now.
    enum PriceSource {
        Primary,
        Fallback
    }

    /* ERRORS */

    /// @notice The primary feed of `asset` is stale and so is its fallback.
    /// @param asset The asset.
    /// @param updatedAt The fallback's last update.
    /// @param heartbeat The fallback's heartbeat.
    error PriceOracleFallbackStalePrice(address asset, uint256 updatedAt, uint256 heartbeat);
    /// @notice The fallback proposed for `asset` is its primary feed: it could never help.
    /// @param asset The asset.
    /// @param feed The feed given.
    error PriceOracleFallbackIsPrimary(address asset, address feed);

    /* EVENTS */

    /// @notice Emitted when governance sets, replaces or clears the fallback feed of `asset` (also when
    ///         `removeFeed` clears it together with the primary).
    /// @param asset The asset.
    /// @param previousFeed The fallback before (zero when none).
    /// @param feed The fallback now (zero when cleared).
    /// @param previousHeartbeat The fallback's heartbeat before.
    /// @param heartbeat The fallback's heartbeat now.
    event FallbackFeedSet(
        address indexed asset,
        address indexed previousFeed,
        address indexed feed,
        uint32 previousHeartbeat,
        uint32 heartbeat
    );

    /* ADMIN */

    /// @notice Sets, replaces or (with `feed` = 0 and `heartbeat` = 0) clears the fallback feed of `asset`.
    /// @dev Governance only. The asset needs a primary feed, and the fallback must be another feed. Reads
    ///      `feed.decimals()` once and caches it. Give the fallback a heartbeat of its own: fallbacks are often
    ///      slower feeds (a TWAP, a second provider with a longer heartbeat).
    /// @param asset The asset.
    /// @param feed The fallback AggregatorV3 feed quoting one whole `asset` in USD, or zero to clear.
    /// @param heartbeat Maximum accepted age of a fallback answer, in seconds (non-zero unless clearing).
    function setFallbackFeed(address asset, address feed, uint32 heartbeat) external;

    /* VIEW */

    /// @notice The fallback feed configuration of `asset` (all zero when none is set).
    /// @param asset The asset.
    /// @return config The configuration.
    function getFallbackFeed(address asset) external view returns (FallbackFeedConfig memory config);

    /// @notice Which feed `getAssetPrice(asset)` would use now.
    /// @dev Reverts like `getAssetPrice` when no feed can price the asset.
    /// @param asset The asset.
    /// @return source `Primary`, or `Fallback` while the primary is stale.
    function getPriceSource(address asset) external view returns (PriceSource source);
}
