// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

import {IInterestRateModel} from "./IInterestRateModel.sol";

/// @title IKinkedRateModel
/// @notice A kinked ("jump") borrow-rate curve: the rate rises gently with utilisation up to the optimal
///         utilisation, then steeply, so that lenders can always withdraw.
/// @dev With u the utilisation and U* the optimal utilisation, the yearly rate is
///      base + slope1 * u / U*                              when u <= U*,
///      base + slope1 + slope2 * (u - U*) / (1 - U*)       when u >  U*,
///      and the per-second rate is the yearly rate / 365 days. The parameters are immutable: a new curve is
///      a new contract that governance points the reserve at.
interface IKinkedRateModel is IInterestRateModel {
    /// @notice The optimal utilisation is not strictly between 0 and 1e18.
    error KinkedRateModelInvalidOptimalUtilization(uint256 optimalUtilization);
    /// @notice The maximum yearly rate (base + slope1 + slope2) exceeds `MAX_RATE_PER_YEAR`.
    error KinkedRateModelRateTooHigh(uint256 maxRatePerYear, uint256 limit);

    /// @notice The highest yearly rate a model accepts at 100% utilisation (10,000% APR), in WAD.
    /// @return The limit in WAD.
    function MAX_RATE_PER_YEAR() external view returns (uint256);

    /// @notice The yearly rate at zero utilisation, in WAD.
    /// @return The base rate per year.
    function baseRatePerYear() external view returns (uint256);

    /// @notice The yearly rate added between zero and optimal utilisation, in WAD.
    /// @return The first slope per year.
    function slope1PerYear() external view returns (uint256);

    /// @notice The utilisation at which the curve kinks, in WAD (strictly between 0 and 1e18).
    /// @return The optimal utilisation.
    function optimalUtilization() external view returns (uint256);

    /// @notice The yearly rate added between optimal and full utilisation, in WAD.
    /// @return The second slope per year.
    function slope2PerYear() external view returns (uint256);

    /// @notice The borrow rate per year, in WAD, at the given reserve state (before the per-second division).
    /// @param availableLiquidity Assets the reserve holds and could lend.
    /// @param totalDebt Assets owed to the reserve.
    /// @return The yearly borrow rate in WAD.
    function getBorrowRatePerYear(uint256 availableLiquidity, uint256 totalDebt) external view returns (uint256);
}
