// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title IMultiFlashBorrower
/// @notice The callback a receiver of a Strata multi-asset flash loan (`IFlashLoanModule.flashLoanMulti`)
///         implements. It mirrors ERC-3156's `onFlashLoan`, with one entry per token.
/// @dev The receiver gets every `amounts[i]` of `tokens[i]` before the call, and must, before returning,
///      approve the flash-loan module (the `msg.sender` of this call) for `amounts[i] + fees[i]` of each
///      `tokens[i]`; the module pulls them back right after the call.
///      Anyone can start a flash loan naming any receiver: a receiver MUST check that `msg.sender` is the
///      Strata flash-loan module and that `initiator` is an address it trusts, or a stranger can make it
///      pay fees (or run its logic) at will.
interface IMultiFlashBorrower {
    /// @notice Receives a multi-asset flash loan.
    /// @param initiator The account that called `flashLoanMulti`.
    /// @param tokens The loaned tokens, all distinct, in the caller's order.
    /// @param amounts The amount of each token lent, in that token's units.
    /// @param fees The fee owed on each token on top of its amount, in that token's units.
    /// @param data Arbitrary data passed through from `flashLoanMulti`.
    /// @return keccak256("IMultiFlashBorrower.onMultiFlashLoan") on success; any other value reverts the loan.
    function onMultiFlashLoan(
        address initiator,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256[] calldata fees,
        bytes calldata data
    ) external returns (bytes32);
}
