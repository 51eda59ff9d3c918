// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";

/// @title MinimalFlashBorrowerMock
/// @notice The cheapest receiver that repays: approve the lender, return the magic value. For gas benchmarks
///         only: it checks neither the lender nor the initiator, which a real borrower must.
contract MinimalFlashBorrowerMock is IERC3156FlashBorrower {
    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        IERC20(token).approve(msg.sender, amount + fee);
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
