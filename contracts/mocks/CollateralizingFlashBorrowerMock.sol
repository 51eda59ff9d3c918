// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";

/// @title CollateralizingFlashBorrowerMock
/// @notice Hostile: supplies the flash-borrowed funds to the pool as its own collateral, borrows another asset
///         against them, sends that asset away, and then tries to leave:
///         LEAVE    - approves the repayment and returns the magic value: unless it held `amount + fee` of its
///                    own before the loan (then it is a legitimate leveraged position, which must leave the
///                    account healthy and the books consistent), there is nothing to pull;
///         WITHDRAW - first withdraws all its collateral to repay with it (the pool's health check must stop it).
/// @dev Pool calls are low-level (by signature) and bubble their revert data.
contract CollateralizingFlashBorrowerMock is IERC3156FlashBorrower {
    uint8 public constant LEAVE = 0;
    uint8 public constant WITHDRAW = 1;

    address public immutable pool;
    address public immutable sink;
    address public debtAsset;
    uint256 public borrowAmount;
    uint8 public mode;

    constructor(address pool_, address sink_) {
        pool = pool_;
        sink = sink_;
    }

    function configure(address debtAsset_, uint256 borrowAmount_, uint8 mode_) external {
        debtAsset = debtAsset_;
        borrowAmount = borrowAmount_;
        mode = mode_;
    }

    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        IERC20(token).approve(pool, amount);
        _call(abi.encodeWithSignature("supply(address,uint256,address)", token, amount, address(this)));
        _call(abi.encodeWithSignature("borrow(address,uint256,address)", debtAsset, borrowAmount, address(this)));
        IERC20(debtAsset).transfer(sink, borrowAmount);
        if (mode == WITHDRAW) {
            _call(
                abi.encodeWithSignature("withdraw(address,uint256,address)", token, type(uint256).max, address(this))
            );
        }
        IERC20(token).approve(msg.sender, amount + fee);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }

    function _call(bytes memory data) private {
        (bool ok, bytes memory ret) = pool.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
