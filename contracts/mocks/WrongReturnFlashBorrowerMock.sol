// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IMultiFlashBorrower} from "../../interfaces/IMultiFlashBorrower.sol";

/// @title WrongReturnFlashBorrowerMock
/// @notice Hostile/buggy: approves the full repayment but returns `answer` instead of the magic value (by default
///         zero; a test may set the *other* callback's magic value to check they are not interchangeable).
contract WrongReturnFlashBorrowerMock is IERC3156FlashBorrower, IMultiFlashBorrower {
    bytes32 public answer;

    function setAnswer(bytes32 answer_) external {
        answer = answer_;
    }

    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        IERC20(token).approve(msg.sender, amount + fee);
        return answer;
    }

    function onMultiFlashLoan(
        address,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256[] calldata fees,
        bytes calldata
    ) external returns (bytes32) {
        for (uint256 i; i < tokens.length; ++i) {
            IERC20(tokens[i]).approve(msg.sender, amounts[i] + fees[i]);
        }
        return answer;
    }
}
