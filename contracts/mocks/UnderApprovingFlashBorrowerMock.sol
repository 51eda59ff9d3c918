// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";

/// @title UnderApprovingFlashBorrowerMock
/// @notice Hostile: holds enough to repay but approves the lender `shortfall` less than `amount + fee`
///         (e.g. 1 wei short, or exactly `amount` so as to dodge the fee).
contract UnderApprovingFlashBorrowerMock is IERC3156FlashBorrower {
    uint256 public shortfall = 1;

    function setShortfall(uint256 shortfall_) external {
        shortfall = shortfall_;
    }

    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        IERC20(token).approve(msg.sender, amount + fee - shortfall);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }
}
