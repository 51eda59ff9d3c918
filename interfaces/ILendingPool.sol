// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

import {IStrataModule} from "./IStrataModule.sol";
import {ILendingPoolModules} from "./ILendingPoolModules.sol";

/// @title ILendingPool
/// @notice Strata's vault and referee: one reserve per listed asset, in which users supply assets (optionally as
///         collateral), borrow against their collateral, repay and withdraw. The pool holds every token and the
///         whole ledger, and checks solvency itself on every exit of value.
/// @dev UNITS. Prices and values: USD in WAD (1e18 = $1). Risk factors (`ltv`, `liquidationThreshold`,
///      `liquidationBonus`, `reserveFactor`): basis points (10_000 = 100%), so a reserve's hot configuration fits
///      one storage slot; `ILendingPoolModules.getLiquidationParams` returns them in WAD. Caps: whole tokens
///      (0 = no cap). Indices: RAY (1e27). Rates: per second, WAD. Amounts: the asset's own decimals.
///
///      LEDGER. A supplier owns supply shares, a borrower debt shares:
///        supplied(user) = ⌊supplyShares · liquidityIndex / RAY⌋      debt(user) = ⌈debtShares · borrowIndex / RAY⌉
///      The pool keeps its own `cash` (assets it holds for the reserve). It never reads `balanceOf` for its books,
///      so tokens sent to it directly ("donations") change nothing. Protocol reserves are the reserve's surplus:
///        protocolReserves = cash + ⌈totalDebtShares · borrowIndex / RAY⌉ − ⌊totalSupplyShares · liquidityIndex / RAY⌋
///
///      INTEREST (Compound-v2 style: simple between touches, compounding across touches). On the first touch of a
///      reserve in a block, with dt = now − lastUpdate > 0 and `rate` the stored borrow rate:
///        if totalDebtShares > 0 and rate > 0:
///          borrowIndex'     = ⌈borrowIndex · (WAD + rate · dt) / WAD⌉
///          interest         = ⌈totalDebtShares · borrowIndex' / RAY⌉ − ⌈totalDebtShares · borrowIndex / RAY⌉
///          supplierInterest = interest − ⌊interest · reserveFactor / 10_000⌋
///          if totalSupplyShares > 0:
///            liquidityIndex' = liquidityIndex + ⌊supplierInterest · RAY / totalSupplyShares⌋
///        lastUpdate = now
///      The reserve-factor part (and every rounding remainder) stays in the surplus, i.e. the protocol reserves.
///      After every operation that changes a reserve, its stored rate becomes
///        rate = min(rateModel.getBorrowRate(cash, ⌈totalDebtShares · borrowIndex / RAY⌉), MAX_BORROW_RATE)
///      (cash includes flash-lent amounts), so the rate that applies over [lastUpdate, now] is the one of the state
///      left by the previous operation. The one exception is a flash loan's settlement: it adds the fee to cash
///      without accruing or re-rating (the loan itself never changed the books), so until the next operation the
///      stored rate is the one of one fee less of cash (higher by at most the fee's share of utilisation).
///
///      ROUNDING, always in the protocol's favour: supply mints ⌊amount · RAY / liquidityIndex⌋ shares; withdraw
///      burns ⌈amount · RAY / liquidityIndex⌉; borrow mints ⌈amount · RAY / borrowIndex⌉ debt shares; repay burns
///      ⌊amount · RAY / borrowIndex⌋ (all of them when the whole debt is repaid). Collateral values round down,
///      debt values up. An operation that would mint or burn zero shares reverts.
///
///      SOLVENCY. `borrow` requires debtValue ≤ borrowingPower (Σ collateral value × ltv); `withdraw` of collateral
///      and `setCollateral(asset, false)` require healthFactor ≥ 1 (Σ collateral value × liquidationThreshold /
///      debtValue). These checks value collateral at each reserve's last stored liquidity index (never above its
///      real value, so they can only be stricter than `getAccountData`) and debt at its borrow index up to now.
///
///      HOOKS. `executeLiquidation` writes off the borrower's debt when the seizure took all of one collateral
///      reserve and the rest of its collateral is worth 0 at oracle prices: collateral dust worth $0 stays with
///      the borrower. Flash-lent amounts live in transient storage: the FLASH_LOAN_MODULE must settle in the
///      transaction that lent.
///      The hooks trust the module addresses cached by `syncModules`, not the registry's live entries.
interface ILendingPool is IStrataModule, ILendingPoolModules {
    /* TYPES */

    /// @notice The actions the guardian can pause per reserve. Repay can only be stopped by the module-wide pause,
    ///         so borrowers can always reduce their debt while borrowing or liquidation is paused.
    /// @dev ABI values: SUPPLY = 0, WITHDRAW = 1, BORROW = 2, LIQUIDATE = 3, FLASH = 4. A reserve's
    ///      `pausedActions` bitmap has bit `1 << action` set for each paused action.
    enum Action {
        SUPPLY,
        WITHDRAW,
        BORROW,
        LIQUIDATE,
        FLASH
    }

    /// @notice A reserve's risk configuration, set by governance.
    /// @param ltv Loan-to-value in basis points: the share of the collateral value that can be borrowed against.
    /// @param liquidationThreshold In basis points: the share of the collateral value that counts in the health
    ///        factor. 0 together with `ltv` = 0 makes the asset unusable as collateral.
    /// @param liquidationBonus In basis points: what a liquidator may seize on top of the repaid value
    ///        (500 = 5%).
    /// @param reserveFactor In basis points: the share of borrowers' interest kept as protocol reserves.
    /// @param supplyCap Maximum total supplied (interest included), in whole tokens; 0 = no cap.
    /// @param borrowCap Maximum total borrowed (interest included), in whole tokens; 0 = no cap.
    /// @param borrowingEnabled Whether new borrows are allowed.
    struct ReserveConfig {
        uint16 ltv;
        uint16 liquidationThreshold;
        uint16 liquidationBonus;
        uint16 reserveFactor;
        uint48 supplyCap;
        uint48 borrowCap;
        bool borrowingEnabled;
    }

    /// @notice A reserve's state, with interest accrued up to the current block.
    /// @param totalSupplied What the reserve owes its suppliers (rounded down).
    /// @param totalBorrowed What borrowers owe the reserve (rounded up).
    /// @param cash Assets the pool holds for the reserve, by its own books (flash-lent amounts included).
    /// @param availableLiquidity `cash` minus what is flash-lent right now: what can be borrowed or withdrawn.
    /// @param protocolReserves The surplus that belongs to the protocol: cash + totalBorrowed − totalSupplied.
    /// @param utilization totalBorrowed / (cash + totalBorrowed), in WAD.
    /// @param borrowRate Borrow rate per second, in WAD.
    /// @param supplyRate Approximate supply rate per second, in WAD: borrowRate × utilization × (1 − reserveFactor).
    /// @param liquidityIndex In RAY.
    /// @param borrowIndex In RAY.
    /// @param totalSupplyShares Supply shares outstanding.
    /// @param totalDebtShares Debt shares outstanding.
    /// @param lastUpdate Timestamp of the last accrual stored on chain.
    /// @param rateModel The reserve's interest-rate model.
    /// @param id The reserve's position in `getReservesList` (and in users' bitmaps).
    /// @param decimals The asset's decimals.
    /// @param pausedActions Bitmap of paused actions (bit `1 << Action`).
    struct ReserveData {
        uint256 totalSupplied;
        uint256 totalBorrowed;
        uint256 cash;
        uint256 availableLiquidity;
        uint256 protocolReserves;
        uint256 utilization;
        uint256 borrowRate;
        uint256 supplyRate;
        uint256 liquidityIndex;
        uint256 borrowIndex;
        uint256 totalSupplyShares;
        uint256 totalDebtShares;
        uint256 lastUpdate;
        address rateModel;
        uint8 id;
        uint8 decimals;
        uint8 pausedActions;
    }

    /* ERRORS */

    /// @notice An amount of zero was given.
    error LendingPoolZeroAmount();
    /// @notice `asset` is not listed as a reserve.
    error LendingPoolReserveNotListed(address asset);
    /// @notice `asset` is already listed.
    error LendingPoolReserveAlreadyListed(address asset);
    /// @notice No more reserves can be listed (users' bitmaps hold `max`).
    error LendingPoolTooManyReserves(uint256 max);
    /// @notice The asset's decimals are not supported (more than `max`).
    error LendingPoolUnsupportedDecimals(address asset, uint8 decimals, uint8 max);
    /// @notice A reserve configuration breaks a rule.
    /// @param reason "LTV_NOT_BELOW_THRESHOLD", "THRESHOLD_ABOVE_ONE", "BONUS_TOO_HIGH" (threshold × (1 + bonus)
    ///        must stay below 1) or "RESERVE_FACTOR_ABOVE_ONE".
    error LendingPoolInvalidConfig(bytes32 reason);
    /// @notice The action is paused on the reserve.
    error LendingPoolActionPaused(address asset, Action action);
    /// @notice Borrowing is disabled on the reserve by configuration.
    error LendingPoolBorrowingDisabled(address asset);
    /// @notice The supply would take the reserve's total supplied above its cap (in whole tokens).
    error LendingPoolSupplyCapExceeded(address asset, uint256 cap);
    /// @notice The borrow would take the reserve's total borrowed above its cap (in whole tokens).
    error LendingPoolBorrowCapExceeded(address asset, uint256 cap);
    /// @notice The borrow would take the user's debt value above its borrowing power (both USD, WAD).
    error LendingPoolInsufficientCollateral(address user, uint256 borrowingPower, uint256 debtValue);
    /// @notice The operation would leave the user's health factor (WAD) below 1.
    error LendingPoolHealthFactorTooLow(address user, uint256 healthFactor);
    /// @notice The reserve has not `requested` available (cash minus flash-lent amounts).
    error LendingPoolInsufficientLiquidity(address asset, uint256 requested, uint256 available);
    /// @notice The user asked to withdraw more than it has supplied.
    error LendingPoolInsufficientSupply(address asset, address user, uint256 requested, uint256 supplied);
    /// @notice The amount is too small to mint or burn a single share.
    error LendingPoolZeroShares(address asset, uint256 amount);
    /// @notice The user has no debt in the reserve.
    error LendingPoolNoDebt(address asset, address user);
    /// @notice Collateral can only be enabled on a supply the user holds.
    error LendingPoolNoSupply(address asset, address user);
    /// @notice The reserve cannot be used as collateral (its ltv is 0).
    error LendingPoolNotCollateral(address asset);
    /// @notice The token moved a different amount than asked (fee-on-transfer tokens are refused).
    error LendingPoolFeeOnTransferNotSupported(address asset, uint256 expected, uint256 received);
    /// @notice Governance asked for more protocol reserves than the reserve has.
    error LendingPoolInsufficientProtocolReserves(address asset, uint256 requested, uint256 available);
    /// @notice The oracle returned a zero price.
    error LendingPoolInvalidPrice(address asset);
    /// @notice No price oracle is cached: call `syncModules` once the registry names one.
    error LendingPoolOracleNotSet();
    /// @notice `delegatee` may not borrow `amount` on behalf of `delegator`.
    error LendingPoolInsufficientBorrowAllowance(
        address delegator, address delegatee, address asset, uint256 allowance, uint256 amount
    );
    /// @notice A flash-loan settlement names more than is flash-lent.
    error LendingPoolFlashLoanNotOutstanding(address asset, uint256 amount, uint256 outstanding);
    /// @notice The rate model is the zero address or has no code.
    error LendingPoolInvalidRateModel(address rateModel);

    /* EVENTS */

    /// @notice Emitted when `caller` supplies `amount` of `asset` credited to `onBehalfOf` as `shares`.
    event Supplied(
        address indexed asset, address indexed caller, address indexed onBehalfOf, uint256 amount, uint256 shares
    );
    /// @notice Emitted when `user` withdraws `amount` of `asset` to `to`, burning `shares`.
    event Withdrawn(address indexed asset, address indexed user, address indexed to, uint256 amount, uint256 shares);
    /// @notice Emitted when `caller` borrows `amount` of `asset`, owed by `onBehalfOf` as `shares` debt shares.
    event Borrowed(
        address indexed asset, address indexed caller, address indexed onBehalfOf, uint256 amount, uint256 shares
    );
    /// @notice Emitted when `caller` repays `amount` of `onBehalfOf`'s debt in `asset`, burning `shares`.
    event Repaid(
        address indexed asset, address indexed caller, address indexed onBehalfOf, uint256 amount, uint256 shares
    );
    /// @notice Emitted when a supply starts or stops counting as collateral (also on a first supply and when a
    ///         supply is emptied).
    event CollateralSet(address indexed asset, address indexed user, bool enabled);
    /// @notice Emitted when `delegator` changes what `delegatee` may borrow on its behalf.
    event BorrowAllowanceSet(
        address indexed delegator, address indexed delegatee, address indexed asset, uint256 previous, uint256 current
    );
    /// @notice Emitted when governance lists a reserve.
    event ReserveListed(address indexed asset, uint8 id, uint8 decimals, address rateModel, ReserveConfig config);
    /// @notice Emitted when governance changes a reserve's configuration.
    event ReserveConfigUpdated(address indexed asset, ReserveConfig previous, ReserveConfig current);
    /// @notice Emitted when governance points a reserve at a new rate model.
    event RateModelUpdated(address indexed asset, address indexed previous, address indexed current);
    /// @notice Emitted when the paused actions of a reserve change (bitmaps, bit `1 << Action`).
    event ReservePauseUpdated(address indexed asset, uint8 previousPausedActions, uint8 currentPausedActions);
    /// @notice Emitted when governance takes protocol reserves out of the pool.
    event ProtocolReservesWithdrawn(address indexed asset, address indexed to, uint256 amount, uint256 remaining);
    /// @notice Emitted by `syncModules` with the cached module addresses before and after.
    event ModulesSynced(
        address previousPriceOracle,
        address priceOracle,
        address previousLiquidationEngine,
        address liquidationEngine,
        address previousFlashLoanModule,
        address flashLoanModule
    );

    /* INITIALIZER */

    /// @notice Initialises the pool behind its proxy and caches the modules the registry names at that time.
    /// @param registry The module registry's proxy.
    function initialize(address registry) external;

    /* USER API */

    /// @notice Supplies `amount` of `asset`, credited to `onBehalfOf` as supply shares.
    /// @dev The first supply of a user in a reserve whose ltv is not 0 enables it as collateral. Reverts when the
    ///      reserve is not listed, supply is paused, the cap would be exceeded, the amount mints no share, or the
    ///      token delivers a different amount than `amount` (fee-on-transfer).
    /// @param asset The reserve's asset (approved to the pool).
    /// @param amount Assets to supply.
    /// @param onBehalfOf The account credited.
    /// @return shares Supply shares minted (rounded down).
    function supply(address asset, uint256 amount, address onBehalfOf) external returns (uint256 shares);

    /// @notice Withdraws `amount` of `asset` from the caller's supply to `to`.
    /// @dev type(uint256).max withdraws everything. If the reserve is the caller's collateral and the caller has
    ///      debt, the caller's health factor must stay ≥ 1 (`LendingPoolHealthFactorTooLow`).
    /// @param asset The reserve's asset.
    /// @param amount Assets to withdraw, or type(uint256).max for all.
    /// @param to Recipient of the assets.
    /// @return withdrawn Assets sent.
    function withdraw(address asset, uint256 amount, address to) external returns (uint256 withdrawn);

    /// @notice Borrows `amount` of `asset`, sent to the caller, as debt of `onBehalfOf`.
    /// @dev `onBehalfOf` other than the caller needs a borrow allowance (`approveDelegation`). Requires the
    ///      borrower's debt value after the borrow ≤ its borrowing power (`LendingPoolInsufficientCollateral`).
    /// @param asset The reserve's asset.
    /// @param amount Assets to borrow.
    /// @param onBehalfOf The account whose debt grows (the caller, or a delegator).
    /// @return shares Debt shares minted (rounded up).
    function borrow(address asset, uint256 amount, address onBehalfOf) external returns (uint256 shares);

    /// @notice Repays up to `amount` of `onBehalfOf`'s debt in `asset`.
    /// @dev An amount ≥ the debt (e.g. type(uint256).max) repays exactly the whole debt. Works while borrowing or
    ///      liquidation is paused; only the module-wide pause stops it.
    /// @param asset The reserve's asset (approved to the pool).
    /// @param amount Assets to repay, or type(uint256).max for all.
    /// @param onBehalfOf The borrower.
    /// @return repaid Assets taken from the caller.
    function repay(address asset, uint256 amount, address onBehalfOf) external returns (uint256 repaid);

    /// @notice Enables or disables the caller's supply of `asset` as collateral.
    /// @dev Enabling needs a supply and an ltv above 0. Disabling with debt requires the health factor to stay
    ///      ≥ 1. A no-op when nothing changes.
    /// @param asset The reserve's asset.
    /// @param enabled Whether the supply counts as collateral.
    function setCollateral(address asset, bool enabled) external;

    /// @notice Lets `delegatee` borrow up to `amount` of `asset` as debt of the caller (credit delegation).
    /// @dev type(uint256).max is an unlimited allowance, never decreased.
    /// @param delegatee The account allowed to borrow.
    /// @param asset The reserve's asset.
    /// @param amount The allowance.
    function approveDelegation(address delegatee, address asset, uint256 amount) external;

    /* PERMISSIONLESS */

    /// @notice Re-reads PRICE_ORACLE, LIQUIDATION_ENGINE and FLASH_LOAN_MODULE from the registry into the pool.
    /// @dev The pool caches them to save a registry call per operation. Anyone may call it; governance should
    ///      call it in the same proposal that changes one of these registry entries. Until then the pool keeps
    ///      trusting the previous addresses (the guardian can sync at once).
    function syncModules() external;

    /* GOVERNANCE */

    /// @notice Lists `asset` as a reserve.
    /// @dev Governance only. Indices start at RAY. At most 128 reserves.
    /// @param asset The ERC-20 asset (decimals ≤ 36, no fee on transfer).
    /// @param config Its risk configuration (validated as in `setReserveConfig`).
    /// @param rateModel Its interest-rate model.
    function listReserve(address asset, ReserveConfig calldata config, address rateModel) external;

    /// @notice Replaces a reserve's risk configuration.
    /// @dev Governance only. Accrues interest first (past interest keeps the old reserve factor). Requires
    ///      ltv < liquidationThreshold ≤ 10_000 (or both 0), liquidationThreshold × (10_000 + liquidationBonus)
    ///      < 10_000², reserveFactor ≤ 10_000.
    /// @param asset The reserve's asset.
    /// @param config The new configuration.
    function setReserveConfig(address asset, ReserveConfig calldata config) external;

    /// @notice Points a reserve at a new interest-rate model.
    /// @dev Governance only. Accrues at the old rate, then stores the new model's rate.
    /// @param asset The reserve's asset.
    /// @param rateModel The new model.
    function setRateModel(address asset, address rateModel) external;

    /// @notice Sends `amount` of a reserve's protocol reserves to `to`.
    /// @dev Governance only. type(uint256).max takes all that is both reserves and available cash.
    /// @param asset The reserve's asset.
    /// @param to The recipient (the treasury).
    /// @param amount Assets to take.
    /// @return withdrawn Assets sent.
    function withdrawProtocolReserves(address asset, address to, uint256 amount) external returns (uint256 withdrawn);

    /// @notice Pauses `action` on a reserve.
    /// @dev Guardian or governance. Idempotent.
    /// @param asset The reserve's asset.
    /// @param action The action.
    function pauseAction(address asset, Action action) external;

    /// @notice Lifts the pause of `action` on a reserve.
    /// @dev Governance only: a guardian can stop, never restart.
    /// @param asset The reserve's asset.
    /// @param action The action.
    function unpauseAction(address asset, Action action) external;

    /* VIEWS */

    /// @notice A reserve's state with interest up to now.
    /// @param asset The reserve's asset.
    /// @return data See `ReserveData`.
    function getReserveData(address asset) external view returns (ReserveData memory data);

    /// @notice A reserve's risk configuration.
    /// @param asset The reserve's asset.
    /// @return config See `ReserveConfig`.
    function getReserveConfig(address asset) external view returns (ReserveConfig memory config);

    /// @notice Whether `action` is paused on the reserve (the module-wide pause is `modulePaused()`).
    /// @param asset The reserve's asset.
    /// @param action The action.
    /// @return True when paused.
    function isActionPaused(address asset, Action action) external view returns (bool);

    /// @notice The user's bitmap: bit 2·id is set when reserve `id` is collateral, bit 2·id+1 when it is borrowed.
    /// @param user The account.
    /// @return The bitmap.
    function getUserConfig(address user) external view returns (uint256);

    /// @notice What `delegatee` may still borrow of `asset` as debt of `delegator`.
    /// @param delegator The account whose debt would grow.
    /// @param delegatee The borrower.
    /// @param asset The reserve's asset.
    /// @return The remaining allowance.
    function borrowAllowance(address delegator, address delegatee, address asset) external view returns (uint256);

    /// @notice The module addresses the pool has cached from the registry.
    /// @return priceOracle_ The PRICE_ORACLE.
    /// @return liquidationEngine_ The LIQUIDATION_ENGINE (the only caller of `executeLiquidation`, and the policy
    ///         `previewLiquidation` quotes with).
    /// @return flashLoanModule_ The FLASH_LOAN_MODULE (the only caller of `flashLoanLend` and `flashLoanSettle`).
    function cachedModules()
        external
        view
        returns (address priceOracle_, address liquidationEngine_, address flashLoanModule_);

    /// @notice The cap on the stored borrow rate, per second in WAD (1000% a year), whatever the model returns.
    /// @return The cap.
    function MAX_BORROW_RATE() external view returns (uint256);

    /// @notice The most reserves the pool can list.
    /// @return The maximum.
    function MAX_RESERVES() external view returns (uint256);
}
