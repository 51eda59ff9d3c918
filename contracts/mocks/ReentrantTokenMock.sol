// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantTokenMock
/// @notice Test-only ERC-20 with an ERC-777-style hook: while armed, every transfer first calls `target` with
///         `data` (as an attacker's `tokensToSend` hook would) and bubbles up its revert.
contract ReentrantTokenMock is ERC20 {
    address public target;
    bytes public data;
    bool private entered;

    constructor() ERC20("Reentrant Token", "REENT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook: the next transfers call `target_` with `data_`. A zero target disarms it.
    function setReentry(address target_, bytes calldata data_) external {
        target = target_;
        data = data_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (target != address(0) && !entered && from != address(0)) {
            entered = true;
            (bool ok, bytes memory ret) = target.call(data);
            if (!ok) {
                assembly {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
            entered = false;
        }
        super._update(from, to, value);
    }
}
