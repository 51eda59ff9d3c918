// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "@openzeppelin/contracts/interfaces/IERC3156FlashLender.sol";

/// @title FlashBorrowerMock
/// @notice A plain, well-behaved ERC-3156 borrower written against the standard only (nothing Strata-specific):
///         it trusts one lender and only loans it started itself, repays by approving the lender, and records
///         what it saw during the callback so tests can check it.
/// @dev Optional probe: a static call made during the callback (e.g. the pool's rate view), its result kept.
contract FlashBorrowerMock is IERC3156FlashBorrower {
    error FlashBorrowerMockUntrustedLender(address lender);
    error FlashBorrowerMockUntrustedInitiator(address initiator);
    error FlashBorrowerMockProbeFailed();

    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");

    IERC3156FlashLender public immutable lender;

    uint256 public lastAmount;
    uint256 public lastFee;
    address public lastToken;
    address public lastInitiator;
    uint256 public balanceDuringLoan;
    bytes public lastData;
    uint256 public callbackCount;

    address public probeTarget;
    bytes public probeCall;
    bytes public probeResult;

    constructor(IERC3156FlashLender lender_) {
        lender = lender_;
    }

    /// @notice Starts a flash loan with this contract as the receiver.
    function flashBorrow(address token, uint256 amount, bytes calldata data) external returns (bool) {
        return lender.flashLoan(this, token, amount, data);
    }

    /// @notice Sets a static call to make during the next callbacks (target zero: none).
    function setProbe(address target, bytes calldata data) external {
        probeTarget = target;
        probeCall = data;
    }

    function onFlashLoan(address initiator, address token, uint256 amount, uint256 fee, bytes calldata data)
        external
        returns (bytes32)
    {
        // What every correct ERC-3156 borrower checks.
        require(msg.sender == address(lender), FlashBorrowerMockUntrustedLender(msg.sender));
        require(initiator == address(this), FlashBorrowerMockUntrustedInitiator(initiator));
        lastInitiator = initiator;
        lastToken = token;
        lastAmount = amount;
        lastFee = fee;
        lastData = data;
        balanceDuringLoan = IERC20(token).balanceOf(address(this));
        ++callbackCount;
        if (probeTarget != address(0)) {
            (bool ok, bytes memory result) = probeTarget.staticcall(probeCall);
            require(ok, FlashBorrowerMockProbeFailed());
            probeResult = result;
        }
        IERC20(token).approve(msg.sender, amount + fee);
        return CALLBACK_SUCCESS;
    }
}
