// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

interface IERC3156Lender {
    function flashLoan(address receiver, address token, uint256 amount, bytes calldata data) external returns (bool);
}

interface IApprovable {
    function approve(address spender, uint256 amount) external returns (bool);
}

/// @title StrataFlashReceiverMock
/// @notice BENCH ONLY: the smallest ERC-3156 flash borrower, for Strata's FlashLoanModule. A transaction to
///         `run` borrows and repays (amount + fee) in one go; the fee comes from tokens the bench gave it.
/// @dev `puller` is whoever transfers the repayment back (the lender or the pool it fronts); unlimited
///      allowance set once at construction, as in the Aave and Morpho receivers.
contract StrataFlashReceiverMock {
    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");
    address public immutable LENDER;

    constructor(address lender, address puller, address[] memory tokens) {
        LENDER = lender;
        for (uint256 i; i < tokens.length; ++i) {
            IApprovable(tokens[i]).approve(puller, type(uint256).max);
        }
    }

    function run(address token, uint256 amount) external {
        IERC3156Lender(LENDER).flashLoan(address(this), token, amount, "");
    }

    function onFlashLoan(address initiator, address, uint256, uint256, bytes calldata) external view returns (bytes32) {
        require(msg.sender == LENDER && initiator == address(this));
        return CALLBACK_SUCCESS;
    }
}
