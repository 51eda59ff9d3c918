// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title SilentFallbackMock
/// @notice A contract that accepts every call and answers with no data: a wrong address for a module or a rate
///         model (the pool must revert rather than read garbage as a price or a rate).
contract SilentFallbackMock {
    fallback() external {}
}
