// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IMultiFlashBorrower} from "../../interfaces/IMultiFlashBorrower.sol";

/// @title MultiFlashBorrowerMock
/// @notice A well-behaved receiver of Strata multi-asset flash loans: trusts one lender and only its own loans,
///         records what it received, approves each `amount + fee` back to the lender.
contract MultiFlashBorrowerMock is IMultiFlashBorrower {
    error MultiFlashBorrowerMockUntrustedLender(address lender);
    error MultiFlashBorrowerMockUntrustedInitiator(address initiator);

    bytes32 private constant CALLBACK_SUCCESS = keccak256("IMultiFlashBorrower.onMultiFlashLoan");

    address public immutable lender;

    address[] internal _tokens;
    uint256[] internal _amounts;
    uint256[] internal _fees;
    uint256[] internal _balances;
    uint256 public callbackCount;

    constructor(address lender_) {
        lender = lender_;
    }

    /// @notice Starts a multi-asset flash loan with this contract as the receiver.
    function flashBorrowMulti(address[] calldata tokens, uint256[] calldata amounts, bytes calldata data)
        external
        returns (bool ok)
    {
        (bool success, bytes memory ret) = lender.call(
            abi.encodeWithSignature(
                "flashLoanMulti(address,address[],uint256[],bytes)", address(this), tokens, amounts, data
            )
        );
        if (!success) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        ok = abi.decode(ret, (bool));
    }

    function onMultiFlashLoan(
        address initiator,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256[] calldata fees,
        bytes calldata
    ) external returns (bytes32) {
        require(msg.sender == lender, MultiFlashBorrowerMockUntrustedLender(msg.sender));
        require(initiator == address(this), MultiFlashBorrowerMockUntrustedInitiator(initiator));
        _tokens = tokens;
        _amounts = amounts;
        _fees = fees;
        delete _balances;
        for (uint256 i; i < tokens.length; ++i) {
            _balances.push(IERC20(tokens[i]).balanceOf(address(this)));
            IERC20(tokens[i]).approve(msg.sender, amounts[i] + fees[i]);
        }
        ++callbackCount;
        return CALLBACK_SUCCESS;
    }

    /// @notice What the last callback received, and this contract's balance of each token during it.
    function lastLoan()
        external
        view
        returns (address[] memory tokens, uint256[] memory amounts, uint256[] memory fees, uint256[] memory balances)
    {
        return (_tokens, _amounts, _fees, _balances);
    }
}
