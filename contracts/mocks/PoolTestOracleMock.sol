// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PoolTestOracleMock
/// @notice Test-only price oracle with settable prices (USD WAD per whole token) and a switch that makes an
///         asset's price revert like a stale feed (`getAssetPrice` and `getAssetPrices`, the calls the pool makes). One storage read per price: the gas benchmark uses it to
///         isolate the pool's own cost from the oracle's.
contract PoolTestOracleMock {
    /// @notice The asset has no price set.
    error PoolTestOracleMockNoPrice(address asset);
    /// @notice The asset's price was marked stale.
    error PoolTestOracleMockStalePrice(address asset);

    struct Price {
        uint128 price;
        bool set;
        bool stale;
    }

    mapping(address asset => Price) private _prices;

    /// @notice Sets `asset`'s price (0 is allowed, to test the pool's own zero-price guard).
    function setPrice(address asset, uint256 priceWad) external {
        _prices[asset] = Price(uint128(priceWad), true, _prices[asset].stale);
    }

    /// @notice Makes `getAssetPrice(asset)` revert (or stop reverting).
    function setStale(address asset, bool stale) external {
        _prices[asset].stale = stale;
    }

    /// @notice The price of one whole `asset` in USD WAD, like `IPriceOracle.getAssetPrice`.
    function getAssetPrice(address asset) external view returns (uint256) {
        return _price(asset);
    }

    /// @notice `getAssetPrice` for several assets at once, like `IPriceOracle.getAssetPrices`.
    function getAssetPrices(address[] calldata assets) external view returns (uint256[] memory prices) {
        prices = new uint256[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            prices[i] = _price(assets[i]);
        }
    }

    function _price(address asset) private view returns (uint256) {
        Price memory p = _prices[asset];
        require(p.set, PoolTestOracleMockNoPrice(asset));
        require(!p.stale, PoolTestOracleMockStalePrice(asset));
        return p.price;
    }
}
