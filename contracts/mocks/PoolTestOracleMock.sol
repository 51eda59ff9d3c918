// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";

/// @title PoolTestOracleMock
/// @notice Test-only price oracle with settable prices (USD WAD per whole token) and a switch that makes an
///         asset's price revert like a stale feed.
contract PoolTestOracleMock is IPriceOracle {
    /// @notice The asset has no price set.
    error PoolTestOracleMockNoPrice(address asset);
    /// @notice The asset's price was marked stale.
    error PoolTestOracleMockStalePrice(address asset);

    mapping(address asset => uint256 price) public prices;
    mapping(address asset => bool stale) public stale;
    mapping(address asset => bool set) public isSet;

    /// @notice Sets `asset`'s price (0 is allowed, to test the pool's own zero-price guard).
    function setPrice(address asset, uint256 priceWad) external {
        prices[asset] = priceWad;
        isSet[asset] = true;
    }

    /// @notice Makes `getAssetPrice(asset)` revert (or stop reverting).
    function setStale(address asset, bool stale_) external {
        stale[asset] = stale_;
    }

    /// @inheritdoc IPriceOracle
    function getAssetPrice(address asset) external view returns (uint256) {
        require(isSet[asset], PoolTestOracleMockNoPrice(asset));
        require(!stale[asset], PoolTestOracleMockStalePrice(asset));
        return prices[asset];
    }
}
