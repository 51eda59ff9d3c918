// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

import {IERC3156FlashLender} from "@openzeppelin/contracts/interfaces/IERC3156FlashLender.sol";
import {IStrataModule} from "./IStrataModule.sol";

/// @title IFlashLoanModule
/// @notice Strata's flash lender: an ERC-3156 lender over the LendingPool's liquidity, plus a multi-asset
///         variant. The module holds no funds: the pool sends the loan straight to the receiver, and the
///         module pulls `amount + fee` from the receiver straight back into the pool, which then checks it
///         was made whole and credits the fee to the reserve's protocol reserves.
/// @dev Any standard ERC-3156 borrower works unchanged: it is called with `msg.sender` = this module, and
///      must approve this module (not the pool) for `amount + fee` before returning.
///      What a reserve offers: `maxFlashLoan` is the pool's available liquidity when flash loans are allowed
///      on the reserve by the pool (listed, active, FLASH action not paused), by this module (governance
///      switch) and this module is not paused; 0 otherwise. In that case `flashFee` reverts with
///      `FlashLoanUnsupportedToken`.
///      Fees are set per reserve in basis points by governance (0 allowed, at most `MAX_FLASH_FEE_BPS`);
///      a reserve without its own fee pays the default fee. Fees are rounded up, in the protocol's favour.
///      Both entry points are `nonReentrant`: a receiver cannot start another flash loan from its callback
///      (it may use the pool's user functions; the pool stays whole whatever it does, because settlement
///      pulls exactly `amount + fee` and the pool re-checks its balance against its books).
interface IFlashLoanModule is IERC3156FlashLender, IStrataModule {
    /* ERRORS */

    /// @notice The token cannot be flash-borrowed now: not a pool reserve, flash loans disabled on it by the
    ///         pool or by governance, or the module is paused.
    error FlashLoanUnsupportedToken(address token);
    /// @notice The receiver's callback did not return the expected magic value.
    /// @param receiver The receiver that was called.
    /// @param returned What it returned.
    error FlashLoanCallbackFailed(address receiver, bytes32 returned);
    /// @notice A fee above `MAX_FLASH_FEE_BPS` was asked for.
    error FlashLoanFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    /// @notice A token appears twice in a multi-asset flash loan.
    error FlashLoanDuplicateToken(address token);
    /// @notice `tokens` and `amounts` of a multi-asset flash loan differ in length, or are empty.
    error FlashLoanInvalidBatch(uint256 tokensLength, uint256 amountsLength);
    /// @notice The module does not know the pool yet: call `syncPool()` once the pool is registered.
    error FlashLoanPoolNotSynced();

    /* EVENTS */

    /// @notice Emitted once per token for every flash loan repaid.
    /// @param receiver The contract that received the loan and repaid it.
    /// @param initiator The account that started the flash loan.
    /// @param token The token lent.
    /// @param amount The amount lent.
    /// @param fee The fee paid on top, credited to the reserve's protocol reserves.
    event FlashLoanExecuted(
        address indexed receiver, address indexed initiator, address indexed token, uint256 amount, uint256 fee
    );
    /// @notice Emitted when governance sets a reserve's own fee.
    /// @param asset The reserve's asset.
    /// @param oldFeeBps The fee the reserve paid before (its own fee, or the default when it had none).
    /// @param newFeeBps The reserve's fee now.
    event FlashFeeSet(address indexed asset, uint16 oldFeeBps, uint16 newFeeBps);
    /// @notice Emitted when governance removes a reserve's own fee, so that it pays the default fee again.
    /// @param asset The reserve's asset.
    /// @param oldFeeBps The reserve's own fee before.
    /// @param newFeeBps The default fee it pays now.
    event FlashFeeCleared(address indexed asset, uint16 oldFeeBps, uint16 newFeeBps);
    /// @notice Emitted when governance changes the default fee (and at initialisation).
    event DefaultFlashFeeSet(uint16 oldFeeBps, uint16 newFeeBps);
    /// @notice Emitted when governance switches flash loans on or off for a reserve.
    event FlashLoanEnabledSet(address indexed asset, bool oldEnabled, bool newEnabled);
    /// @notice Emitted when the module's cached pool address is refreshed from the registry.
    event PoolSynced(address indexed oldPool, address indexed newPool);

    /* FLASH LOANS */

    /// @notice Lends `amounts[i]` of each `tokens[i]` to `receiver` for the duration of one call to its
    ///         `IMultiFlashBorrower.onMultiFlashLoan`, then pulls back `amounts[i] + fees[i]` of each.
    /// @dev The receiver must approve this module for each `amounts[i] + fees[i]` during the callback.
    ///      Reverts on an empty batch, mismatched lengths, a duplicate token, an unsupported token, an amount
    ///      above the pool's available liquidity, a wrong callback return value or a missing repayment.
    /// @param receiver The contract that receives the tokens and the callback.
    /// @param tokens The tokens to borrow, all distinct.
    /// @param amounts The amount of each token, in that token's units.
    /// @param data Arbitrary data passed to the receiver.
    /// @return True on success (it reverts otherwise), like ERC-3156's `flashLoan`.
    function flashLoanMulti(
        address receiver,
        address[] calldata tokens,
        uint256[] calldata amounts,
        bytes calldata data
    ) external returns (bool);

    /* ADMIN */

    /// @notice Sets a reserve's own fee, in basis points of the amount lent.
    /// @dev Governance only. 0 is allowed (free flash loans); above `MAX_FLASH_FEE_BPS` reverts.
    /// @param asset The reserve's asset.
    /// @param feeBps The fee in basis points (1 = 0.01%).
    function setFlashFee(address asset, uint16 feeBps) external;

    /// @notice Removes a reserve's own fee: it pays the default fee again.
    /// @dev Governance only.
    /// @param asset The reserve's asset.
    function clearFlashFee(address asset) external;

    /// @notice Sets the fee paid by every reserve that has no fee of its own.
    /// @dev Governance only. At most `MAX_FLASH_FEE_BPS`.
    /// @param feeBps The fee in basis points.
    function setDefaultFlashFee(uint16 feeBps) external;

    /// @notice Switches flash loans on or off for one reserve (on by default for every pool reserve).
    /// @dev Governance only. The pool has its own per-reserve FLASH pause (guardian) and this module its
    ///      module-wide pause (guardian): either stops flash loans too.
    /// @param asset The reserve's asset.
    /// @param enabled Whether flash loans are allowed on it.
    function setFlashLoanEnabled(address asset, bool enabled) external;

    /// @notice Refreshes the cached pool address from the registry's LENDING_POOL entry.
    /// @dev Anyone may call it: the registry is the source of truth, the cache only saves gas. Reverts with
    ///      `RegistryModuleNotFound` while no pool is registered.
    function syncPool() external;

    /* VIEW */

    /// @notice The highest fee governance may set, in basis points.
    /// @return 100 (1%).
    function MAX_FLASH_FEE_BPS() external view returns (uint16);

    /// @notice The pool this module lends from (cached from the registry; zero before `syncPool`).
    /// @return The LendingPool's proxy address.
    function pool() external view returns (address);

    /// @notice The fee paid by reserves without a fee of their own, in basis points.
    /// @return The default fee.
    function defaultFlashFeeBps() external view returns (uint16);

    /// @notice The fee a reserve pays now, in basis points (its own fee, or the default).
    /// @param asset The reserve's asset.
    /// @return The fee in basis points.
    function flashFeeBps(address asset) external view returns (uint16);

    /// @notice A reserve's flash-loan settings in this module.
    /// @param asset The reserve's asset.
    /// @return enabled Whether governance allows flash loans on it (the pool may still refuse).
    /// @return feeBps The fee it pays now, in basis points.
    /// @return hasOwnFee Whether that fee is the reserve's own (false: the default).
    function getReserveFlashConfig(address asset) external view returns (bool enabled, uint16 feeBps, bool hasOwnFee);
}
