// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IMultiFlashBorrower} from "../../interfaces/IMultiFlashBorrower.sol";

/// @title NonRepayingFlashBorrowerMock
/// @notice Hostile: takes the loan and answers the callback with the right magic value, but does not pay back.
/// @dev Modes: KEEP = keeps the funds and approves nothing; RUN = approves `amount + fee` but first sends the
///      funds away to `sink` (so the allowance is there, the balance is not). The multi callback skips repaying
///      only the token at `skipIndex` and repays the others honestly.
contract NonRepayingFlashBorrowerMock is IERC3156FlashBorrower, IMultiFlashBorrower {
    uint8 public constant KEEP = 0;
    uint8 public constant RUN = 1;

    uint8 public mode;
    address public sink;
    uint256 public skipIndex;

    constructor(address sink_) {
        sink = sink_;
    }

    function setMode(uint8 mode_) external {
        mode = mode_;
    }

    function setSkipIndex(uint256 skipIndex_) external {
        skipIndex = skipIndex_;
    }

    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        _stiff(token, amount, fee);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }

    function onMultiFlashLoan(
        address,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256[] calldata fees,
        bytes calldata
    ) external returns (bytes32) {
        for (uint256 i; i < tokens.length; ++i) {
            if (i == skipIndex) _stiff(tokens[i], amounts[i], fees[i]);
            else IERC20(tokens[i]).approve(msg.sender, amounts[i] + fees[i]);
        }
        return keccak256("IMultiFlashBorrower.onMultiFlashLoan");
    }

    function _stiff(address token, uint256 amount, uint256 fee) private {
        if (mode == RUN) {
            IERC20(token).transfer(sink, amount);
            IERC20(token).approve(msg.sender, amount + fee);
        }
    }
}
