// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

interface IAavePoolFlash {
    function flashLoanSimple(address receiver, address asset, uint256 amount, bytes calldata params, uint16 referral)
        external;
}

interface IApprovable {
    function approve(address spender, uint256 amount) external returns (bool);
}

/// @title AaveFlashReceiverMock
/// @notice BENCH ONLY: the smallest Aave V3 `flashLoanSimple` receiver. A transaction to `run` borrows and
///         repays (amount + premium) in one go; the premium comes from tokens the bench gave this contract.
/// @dev The pool's allowance is set once at construction (an unlimited allowance is not spent by the token), as
///      in the Morpho and Strata receivers, so that no receiver pays for an approval inside the measured call.
contract AaveFlashReceiverMock {
    address public immutable POOL;

    constructor(address pool, address[] memory tokens) {
        POOL = pool;
        for (uint256 i; i < tokens.length; ++i) {
            IApprovable(tokens[i]).approve(pool, type(uint256).max);
        }
    }

    function run(address asset, uint256 amount) external {
        IAavePoolFlash(POOL).flashLoanSimple(address(this), asset, amount, "", 0);
    }

    /// @dev Aave's IFlashLoanSimpleReceiver callback; the pool pulls amount + premium back after it returns.
    function executeOperation(address, uint256, uint256, address initiator, bytes calldata)
        external
        view
        returns (bool)
    {
        require(msg.sender == POOL && initiator == address(this));
        return true;
    }
}
