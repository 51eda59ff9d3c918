// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title SafeERC20HarnessMock
/// @notice TEST ONLY: moves tokens through SafeERC20 (and, for contrast, through the bare IERC20 call) so the
///         token mocks can be checked against the library the pool uses.
contract SafeERC20HarnessMock {
    using SafeERC20 for IERC20;

    function safePull(IERC20 token, address from, uint256 amount) external {
        token.safeTransferFrom(from, address(this), amount);
    }

    function safePush(IERC20 token, address to, uint256 amount) external {
        token.safeTransfer(to, amount);
    }

    function safeApprove(IERC20 token, address spender, uint256 amount) external {
        token.forceApprove(spender, amount);
    }

    /// @dev Reverts on a token that returns nothing: the ABI decoder expects a bool.
    function unsafePush(IERC20 token, address to, uint256 amount) external returns (bool) {
        return token.transfer(to, amount);
    }
}
