// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeSwitchERC20Mock
/// @notice TEST ONLY: an ERC-20 whose transfer fee can be switched on after listing (as USDT's can), so a
///         repayment in a token that was fine at supply time delivers less than the amount sent.
contract FeeSwitchERC20Mock is ERC20 {
    uint256 public feeBps;

    constructor() ERC20("Fee Switch", "FSW") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFeeBps(uint256 feeBps_) external {
        require(feeBps_ <= 10_000);
        feeBps = feeBps_;
    }

    function _update(address from, address to, uint256 value) internal override {
        uint256 fee = from == address(0) || to == address(0) ? 0 : value * feeBps / 10_000;
        if (fee != 0) super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
