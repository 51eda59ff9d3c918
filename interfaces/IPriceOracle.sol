// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title IPriceOracle
/// @notice USD prices of Strata's assets from Chainlink AggregatorV3 feeds, normalised to 18 decimals.
/// @dev The full interface (feed configuration, errors, events) is owned by the PriceOracle module; this
///      is the one call the pool and the liquidation engine make.
interface IPriceOracle {
    /// @notice The USD price of one whole unit of `asset` (10**decimals base units), in WAD (1e18 = $1).
    /// @dev Reverts with a custom error when the feed is missing, stale, non-positive, out of bounds or
    ///      its round is incomplete.
    /// @param asset The asset.
    /// @return priceWad The price in WAD.
    function getAssetPrice(address asset) external view returns (uint256 priceWad);
}
