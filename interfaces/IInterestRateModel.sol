// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title IInterestRateModel
/// @notice A stateless borrow-rate curve. Each reserve points at one; replacing the curve means pointing the
///         reserve at a new contract (governance), never upgrading this one.
interface IInterestRateModel {
    /// @notice Utilisation of a reserve: totalDebt / (availableLiquidity + totalDebt), in WAD (0 when empty).
    /// @param availableLiquidity Assets the reserve holds and could lend (flash-lent amounts included).
    /// @param totalDebt Assets owed to the reserve.
    /// @return The utilisation in WAD (1e18 = 100%).
    function utilization(uint256 availableLiquidity, uint256 totalDebt) external pure returns (uint256);

    /// @notice The borrow rate per second, in WAD, at the reserve's current utilisation.
    /// @param availableLiquidity Assets the reserve holds and could lend (flash-lent amounts included).
    /// @param totalDebt Assets owed to the reserve.
    /// @return ratePerSecond The borrow rate per second in WAD (an APR divided by 365 days).
    function getBorrowRate(uint256 availableLiquidity, uint256 totalDebt) external view returns (uint256 ratePerSecond);
}
