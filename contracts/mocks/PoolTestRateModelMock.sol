// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInterestRateModel} from "../../interfaces/IInterestRateModel.sol";

/// @title PoolTestRateModelMock
/// @notice Test-only linear rate model: rate = base + slope × utilisation, per second in WAD, settable at will
///         (the pool reads it only when a reserve changes, so a change applies from the next operation on).
contract PoolTestRateModelMock is IInterestRateModel {
    uint256 public baseRatePerSecond;
    uint256 public slopePerSecond;

    constructor(uint256 baseRatePerSecond_, uint256 slopePerSecond_) {
        baseRatePerSecond = baseRatePerSecond_;
        slopePerSecond = slopePerSecond_;
    }

    function setRates(uint256 baseRatePerSecond_, uint256 slopePerSecond_) external {
        baseRatePerSecond = baseRatePerSecond_;
        slopePerSecond = slopePerSecond_;
    }

    /// @inheritdoc IInterestRateModel
    function utilization(uint256 availableLiquidity, uint256 totalDebt) public pure returns (uint256) {
        uint256 total = availableLiquidity + totalDebt;
        return total == 0 ? 0 : totalDebt * 1e18 / total;
    }

    /// @inheritdoc IInterestRateModel
    function getBorrowRate(uint256 availableLiquidity, uint256 totalDebt) external view returns (uint256) {
        return baseRatePerSecond + slopePerSecond * utilization(availableLiquidity, totalDebt) / 1e18;
    }
}
