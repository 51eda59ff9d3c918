// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IMultiFlashBorrower} from "../../interfaces/IMultiFlashBorrower.sol";

/// @title ReentrantFlashBorrowerMock
/// @notice Hostile: during the callback it makes a scripted list of calls (re-entering the flash-loan module,
///         or the pool's supply/borrow/repay/withdraw), then approves `amount + fee` and returns the magic value.
/// @dev With `bubble` set, the first failing call reverts the callback with that call's revert data (so tests
///      see the exact error); otherwise failures are recorded in `failures` and the callback goes on.
contract ReentrantFlashBorrowerMock is IERC3156FlashBorrower, IMultiFlashBorrower {
    struct Call {
        address target;
        bytes data;
    }

    Call[] internal _calls;
    bool public bubble = true;
    uint256 public failures;
    bytes public lastRevertData;
    bool public repay = true;

    function addCall(address target, bytes calldata data) external {
        _calls.push(Call(target, data));
    }

    function clearCalls() external {
        delete _calls;
    }

    function setBubble(bool bubble_) external {
        bubble = bubble_;
    }

    function setRepay(bool repay_) external {
        repay = repay_;
    }

    /// @notice Lets a test make this contract call anything outside a flash loan (approvals, set-up).
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        _run();
        if (repay) IERC20(token).approve(msg.sender, amount + fee);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }

    function onMultiFlashLoan(
        address,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256[] calldata fees,
        bytes calldata
    ) external returns (bytes32) {
        _run();
        if (repay) {
            for (uint256 i; i < tokens.length; ++i) {
                IERC20(tokens[i]).approve(msg.sender, amounts[i] + fees[i]);
            }
        }
        return keccak256("IMultiFlashBorrower.onMultiFlashLoan");
    }

    function _run() private {
        uint256 n = _calls.length;
        for (uint256 i; i < n; ++i) {
            (bool ok, bytes memory ret) = _calls[i].target.call(_calls[i].data);
            if (!ok) {
                if (bubble) {
                    assembly {
                        revert(add(ret, 32), mload(ret))
                    }
                }
                ++failures;
                lastRevertData = ret;
            }
        }
    }
}
