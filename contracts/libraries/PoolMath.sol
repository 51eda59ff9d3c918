// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title PoolMath
/// @notice Fixed-point helpers of the lending pool, with the rounding direction in every name.
/// @dev Operands are bounded by the pool's packing (shares, indices and cash fit 128 bits; prices and factors are
///      far smaller), so `x * y` fits 256 bits and a checked product replaces OpenZeppelin's 512-bit `mulDiv`
///      (an overflow reverts, it never wraps). Divisors are never zero at the call sites.
library PoolMath {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant RAY = 1e27;
    uint256 internal constant BPS = 10_000;

    /// @dev ⌊x · y / d⌋
    function mulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return (x * y) / d;
    }

    /// @dev ⌈x · y / d⌉
    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256 z) {
        z = x * y;
        unchecked {
            // d != 0 at every call site; z % d cannot overflow.
            z = z / d + (z % d == 0 ? 0 : 1);
        }
    }

    /// @dev Assets → shares at `index` (RAY), rounded down: what a supplier gets, what a repayment burns.
    function toSharesDown(uint256 assets, uint256 index) internal pure returns (uint256) {
        return (assets * RAY) / index;
    }

    /// @dev Assets → shares at `index` (RAY), rounded up: what a withdrawal burns, what a borrower owes.
    function toSharesUp(uint256 assets, uint256 index) internal pure returns (uint256) {
        return mulDivUp(assets, RAY, index);
    }

    /// @dev Shares → assets at `index` (RAY), rounded down: what the pool owes a supplier.
    function toAssetsDown(uint256 shares, uint256 index) internal pure returns (uint256) {
        return (shares * index) / RAY;
    }

    /// @dev Shares → assets at `index` (RAY), rounded up: what a borrower owes the pool.
    function toAssetsUp(uint256 shares, uint256 index) internal pure returns (uint256) {
        return mulDivUp(shares, index, RAY);
    }

    /// @dev The borrow index after `dt` seconds at `ratePerSecond` (WAD), simple interest, rounded up (the
    ///      borrowers owe the fraction): ⌈index · (WAD + rate · dt) / WAD⌉.
    function growBorrowIndex(uint256 index, uint256 ratePerSecond, uint256 dt) internal pure returns (uint256) {
        return mulDivUp(index, WAD + ratePerSecond * dt, WAD);
    }

    function min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    /// @dev a − b, or 0 when b ≥ a.
    function zeroFloorSub(uint256 a, uint256 b) internal pure returns (uint256) {
        unchecked {
            return a > b ? a - b : 0;
        }
    }
}
