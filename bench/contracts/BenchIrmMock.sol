// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

import {IIrm} from "@morpho-org/morpho-blue/src/interfaces/IIrm.sol";
import {MarketParams, Market} from "@morpho-org/morpho-blue/src/interfaces/IMorpho.sol";

/// @title BenchIrmMock
/// @notice BENCH ONLY: a Morpho Blue rate model that is a straight line of utilisation, 5% a year at 100%.
/// @dev It is the curve the bench gives Aave below its kink (0% base, 4% at 80% utilisation), so interest grows
///      alike on both. Morpho's production model (AdaptiveCurveIrm) stores state and costs more gas per
///      accrual than this mock: Morpho's figures are a lower bound on that account.
contract BenchIrmMock is IIrm {
    uint256 private constant WAD = 1e18;
    uint256 private constant RATE_AT_FULL_UTILIZATION_PER_SECOND = uint256(0.05e18) / 365 days;

    function borrowRate(MarketParams memory marketParams, Market memory market) external pure returns (uint256) {
        return _rate(marketParams, market);
    }

    function borrowRateView(MarketParams memory marketParams, Market memory market) external pure returns (uint256) {
        return _rate(marketParams, market);
    }

    function _rate(MarketParams memory, Market memory market) private pure returns (uint256) {
        if (market.totalSupplyAssets == 0) return 0;
        return RATE_AT_FULL_UTILIZATION_PER_SECOND * market.totalBorrowAssets / market.totalSupplyAssets;
    }
}
