// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";

/// @title MinimalFlashBorrowerMock
/// @notice The cheapest receiver that repays, for gas benchmarks: approve the lender in the callback (the
///         ERC-3156 pattern) or rely on an unlimited approval given once (`approveOnce`), and return the magic
///         value. It checks neither the lender nor the initiator, which a real borrower must.
contract MinimalFlashBorrowerMock is IERC3156FlashBorrower {
    bool public immutable APPROVE_IN_CALLBACK;

    constructor(bool approveInCallback) {
        APPROVE_IN_CALLBACK = approveInCallback;
    }

    /// @notice Gives `spender` an unlimited allowance of `token` (for receivers that do not approve per loan).
    function approveOnce(address token, address spender) external {
        IERC20(token).approve(spender, type(uint256).max);
    }

    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        if (APPROVE_IN_CALLBACK) IERC20(token).approve(msg.sender, amount + fee);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }

    /// @notice Starts a flash loan with this contract as receiver (the receiver-initiated shape of a benchmark).
    function flashBorrow(address lender, address token, uint256 amount) external {
        (bool ok, bytes memory ret) = lender.call(
            abi.encodeWithSignature("flashLoan(address,address,uint256,bytes)", address(this), token, amount, "")
        );
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
