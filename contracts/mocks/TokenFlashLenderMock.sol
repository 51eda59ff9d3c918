// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "@openzeppelin/contracts/interfaces/IERC3156FlashLender.sol";

/// @title TokenFlashLenderMock
/// @notice Test-only ERC-3156 lender of one token (the governance token), fee-free, within one transaction:
///         the pool an attacker would borrow voting tokens from (Beanstalk, April 2022).
contract TokenFlashLenderMock is IERC3156FlashLender {
    using SafeERC20 for IERC20;

    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");

    IERC20 public immutable TOKEN;

    error TokenFlashLenderMockUnsupportedToken(address token);
    error TokenFlashLenderMockCallbackFailed();

    constructor(IERC20 token_) {
        TOKEN = token_;
    }

    function maxFlashLoan(address token) external view returns (uint256) {
        return token == address(TOKEN) ? TOKEN.balanceOf(address(this)) : 0;
    }

    function flashFee(address token, uint256) external view returns (uint256) {
        require(token == address(TOKEN), TokenFlashLenderMockUnsupportedToken(token));
        return 0;
    }

    function flashLoan(IERC3156FlashBorrower receiver, address token, uint256 amount, bytes calldata data)
        external
        returns (bool)
    {
        require(token == address(TOKEN), TokenFlashLenderMockUnsupportedToken(token));
        TOKEN.safeTransfer(address(receiver), amount);
        require(
            receiver.onFlashLoan(msg.sender, token, amount, 0, data) == CALLBACK_SUCCESS,
            TokenFlashLenderMockCallbackFailed()
        );
        TOKEN.safeTransferFrom(address(receiver), address(this), amount);
        return true;
    }
}
