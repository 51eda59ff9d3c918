// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataModule} from "../base/StrataModule.sol";
import {FeedPacking} from "../libraries/FeedPacking.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {AggregatorV3Interface} from "../../interfaces/external/AggregatorV3Interface.sol";

/// @title PriceOracle
/// @notice Chainlink AggregatorV3 feeds per asset, validated and normalised to WAD.
/// @dev Reads are views and deliberately ignore the module-wide pause: liquidations and repayments must keep
///      pricing while the guardian investigates something else.
contract PriceOracle is StrataModule, IPriceOracle {
    /* CONSTANTS */

    string public constant VERSION = "1.0.0";

    uint8 private constant WAD_DECIMALS = 18;

    /* STORAGE */

    /// @dev Each `FeedConfig` also carries its bound hints in its first word's padding (see FeedPacking).
    /// @custom:storage-location erc7201:strata.storage.PriceOracle
    struct PriceOracleStorage {
        mapping(address asset => FeedConfig) feeds;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.PriceOracle")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant PRICE_ORACLE_STORAGE_LOCATION =
        0x807b48758e31286b1f9703dd7d21a257e8b0dae15751efb80b334a779293e100;

    /* CONSTRUCTOR / INITIALIZER */

    /// @notice Initialises the oracle behind its proxy.
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
        // Cached so that every price read saves an external call; see FeedConfig.
        uint8 feedDecimals = AggregatorV3Interface(feed).decimals();
        require(feedDecimals <= WAD_DECIMALS, PriceOracleUnsupportedDecimals(feed, feedDecimals));

        FeedConfig memory previous = _getStorage().feeds[asset];
        // One struct assignment: two packed SSTOREs instead of one read-modify-write per field.
        _getStorage().feeds[asset] = FeedConfig({
            feed: feed,
            heartbeat: heartbeat,
            decimals: feedDecimals,
            minPriceWad: uint128(minPriceWad),
            maxPriceWad: uint128(maxPriceWad)
        });
        FeedPacking.storeHints(_getStorage().feeds[asset], minPriceWad, maxPriceWad);
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
    function removeFeed(address asset) external onlyGovernance {
        mapping(address => FeedConfig) storage feeds = _getStorage().feeds;
        FeedConfig memory previous = feeds[asset];
        require(previous.feed != address(0), PriceOracleFeedNotSet(asset));
        delete feeds[asset];
        FeedPacking.clearHints(feeds[asset]);
        emit FeedRemoved(asset, previous.feed, previous.heartbeat, previous.minPriceWad, previous.maxPriceWad);
    }

    /* VIEW */

    /// @inheritdoc IPriceOracle
    function getAssetPrice(address asset) external view returns (uint256 priceWad) {
        return _getAssetPrice(asset);
    }

    /// @inheritdoc IPriceOracle
    function getAssetPrices(address[] calldata assets) external view returns (uint256[] memory pricesWad) {
        uint256 n = assets.length;
        pricesWad = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            pricesWad[i] = _getAssetPrice(assets[i]);
        }
    }

    /// @inheritdoc IPriceOracle
    function getFeed(address asset) external view returns (FeedConfig memory config) {
        return _getStorage().feeds[asset];
    }

    /// @notice Version of this implementation.
    /// @return The semantic version string.
    function version() external pure returns (string memory) {
        return VERSION;
    }

    /* INTERNAL */

    function _getAssetPrice(address asset) internal view returns (uint256 priceWad) {
        FeedConfig storage f = _getStorage().feeds[asset];
        (address feed, uint256 heartbeat, uint256 feedDecimals, uint256 hints) = FeedPacking.loadHot(f);
        require(feed != address(0), PriceOracleFeedNotSet(asset));

        (uint256 roundId, int256 answer, uint256 updatedAt, uint256 answeredInRound) = FeedPacking.latestRound(feed);

        require(
            updatedAt != 0 && answeredInRound >= roundId,
            PriceOracleIncompleteRound(asset, uint80(roundId), uint80(answeredInRound), updatedAt)
        );
        require(answer > 0, PriceOracleNonPositivePrice(asset, answer));
        // A timestamp ahead of the chain would make the staleness subtraction underflow, and means the feed
        // (or the sequencer) is misbehaving: refuse rather than trust it.
        require(updatedAt <= block.timestamp, PriceOracleFutureTimestamp(asset, updatedAt, block.timestamp));
        require(block.timestamp - updatedAt <= heartbeat, PriceOracleStalePrice(asset, updatedAt, heartbeat));

        // Exact: decimals <= 18 is enforced in setFeed, so scaling up never rounds. An answer above 2**128 is
        // above every max bound (< 2**128), so it is reported as out of bounds instead of overflowing.
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

    function _getStorage() private pure returns (PriceOracleStorage storage $) {
        assembly ("memory-safe") {
            $.slot := PRICE_ORACLE_STORAGE_LOCATION
        }
    }
}
