// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IModuleRegistry} from "../../interfaces/IModuleRegistry.sol";
import {ModuleIds} from "../libraries/ModuleIds.sol";

/// @title FlashPoolMock
/// @notice A stand-in for the LendingPool's flash-loan hooks, to test and measure the flash-loan module on its
///         own: it holds tokens, lends them only to the registry's FLASH_LOAN_MODULE and checks on settlement
///         that its balance came back with the fee. Not the real pool's accounting (no reserves or indices).
contract FlashPoolMock {
    using SafeERC20 for IERC20;

    error FlashPoolMockUnauthorized(address caller);
    error FlashPoolMockNotAllowed(address asset);
    error FlashPoolMockTooLarge(address asset, uint256 requested, uint256 available);
    error FlashPoolMockNotRepaid(address asset, uint256 expected, uint256 received);

    IModuleRegistry public immutable registry;
    address public flashModule;
    mapping(address asset => bool) public allowed;
    mapping(address asset => uint256) public protocolReserves;

    constructor(IModuleRegistry registry_) {
        registry = registry_;
    }

    function syncModules() external {
        flashModule = registry.moduleOf(ModuleIds.FLASH_LOAN_MODULE);
    }

    function setAllowed(address asset, bool allowed_) external {
        allowed[asset] = allowed_;
    }

    function flashLoanLend(address asset, address receiver, uint256 amount) external {
        require(msg.sender == flashModule, FlashPoolMockUnauthorized(msg.sender));
        require(allowed[asset], FlashPoolMockNotAllowed(asset));
        uint256 held = IERC20(asset).balanceOf(address(this));
        require(amount <= held, FlashPoolMockTooLarge(asset, amount, held));
        // Transient: the balance to come back to only lives for the transaction.
        assembly {
            tstore(asset, held)
        }
        IERC20(asset).safeTransfer(receiver, amount);
    }

    function flashLoanSettle(address asset, uint256, uint256 fee) external {
        require(msg.sender == flashModule, FlashPoolMockUnauthorized(msg.sender));
        uint256 before;
        assembly {
            before := tload(asset)
        }
        uint256 expected = before + fee;
        uint256 balance = IERC20(asset).balanceOf(address(this));
        require(balance >= expected, FlashPoolMockNotRepaid(asset, expected, balance));
        protocolReserves[asset] += fee;
    }

    function availableLiquidity(address asset) external view returns (uint256) {
        return IERC20(asset).balanceOf(address(this));
    }

    function isFlashLoanAllowed(address asset) external view returns (bool) {
        return allowed[asset];
    }
}
