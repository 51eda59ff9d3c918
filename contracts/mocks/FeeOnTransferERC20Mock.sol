// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferERC20Mock
/// @notice TEST ONLY: burns `feeBps` of every transfer (not of mints or burns), so the receiver gets less than
///         the amount sent — the flaw a pool must detect by measuring balances instead of trusting amounts.
contract FeeOnTransferERC20Mock is ERC20 {
    uint256 private constant BPS = 10_000;

    uint8 private immutable DECIMALS;
    uint256 public immutable feeBps;

    constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 feeBps_) ERC20(name_, symbol_) {
        require(feeBps_ <= BPS);
        DECIMALS = decimals_;
        feeBps = feeBps_;
    }

    function decimals() public view override returns (uint8) {
        return DECIMALS;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value * feeBps / BPS;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
