// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransientUpgradeable} from
    "@openzeppelin/contracts-upgradeable/utils/ReentrancyGuardTransientUpgradeable.sol";

import {StrataModule} from "../base/StrataModule.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {ModuleIds} from "../libraries/ModuleIds.sol";
import {PoolMath} from "../libraries/PoolMath.sol";
import {PoolPacking} from "../libraries/PoolPacking.sol";
import {ViewCalls} from "../libraries/ViewCalls.sol";
import {ILendingPool} from "../../interfaces/ILendingPool.sol";
import {IModuleRegistry} from "../../interfaces/IModuleRegistry.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";
import {ILiquidationEngine} from "../../interfaces/ILiquidationEngine.sol";
import {IInterestRateModel} from "../../interfaces/IInterestRateModel.sol";

/// @title LendingPool
/// @notice Strata's vault and ledger: reserves, supply, withdraw, borrow, repay, collateral, interest, and the
///         restricted hooks through which the liquidation engine and the flash-loan module act on it.
/// @dev Behind one ModuleProxy (UUPS). Every formula is specified in `ILendingPool`.
contract LendingPool is StrataModule, ReentrancyGuardTransientUpgradeable, ILendingPool {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using PoolMath for uint256;
    using PoolPacking for uint256;

    /* CONSTANTS */

    string private constant VERSION = "1.0.0";

    /// @inheritdoc ILendingPool
    uint256 public constant MAX_BORROW_RATE = 10e18 / uint256(365 days);

    /// @inheritdoc ILendingPool
    uint256 public constant MAX_RESERVES = 128;

    uint8 private constant MAX_DECIMALS = 36;

    uint256 private constant NO_RESERVE = type(uint256).max;

    // keccak256(abi.encode(uint256(keccak256("strata.transient.LendingPool.flashLent")) - 1)) & ~bytes32(uint256(0xff))
    // Base of the transient mapping asset => amount currently flash-lent (cleared at the end of the transaction).
    bytes32 private constant FLASH_LENT_TRANSIENT_BASE =
        0xf70f53f24ea203bd6ed9acfd3e2d06ea373688ff0155c23fba3c6167998bb000;

    /* STORAGE */

    /// @dev Four packed words and the borrow cap; layouts in `PoolPacking`.
    struct Reserve {
        uint256 indexes;
        uint256 totals;
        uint256 state;
        uint256 config;
        uint256 borrowCap;
    }

    /// @custom:storage-location erc7201:strata.storage.LendingPool
    struct LendingPoolStorage {
        mapping(address asset => Reserve) reserves;
        // asset | factors | decimals (PoolPacking's `risk`): what a health check needs of a bitmap's reserve
        mapping(uint256 id => uint256 risk) reserveRisks;
        // supplyShares | debtShares << 128
        mapping(address asset => mapping(address user => uint256 position)) positions;
        // bit 2·id: collateral, bit 2·id+1: borrowing
        mapping(address user => uint256 bitmap) userConfigs;
        mapping(address delegator => mapping(address delegatee => mapping(address asset => uint256 amount)))
            borrowAllowances;
        address priceOracle;
        // The module-wide pause, in the oracle's slot: every entry point checks it and every health check then
        // reads the oracle warm. StrataModule's own flag is unused by the pool.
        bool paused;
        address liquidationEngine;
        address flashLoanModule;
        uint256 reservesCount;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.LendingPool")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LENDING_POOL_STORAGE_LOCATION =
        0x1a35c152f919470eed795bf267b92de66c7902cd25ae2e29a5f7b7a02a378700;

    /// @dev A reserve's hot words unpacked in memory for one operation.
    struct Cache {
        uint256 liquidityIndex;
        uint256 borrowIndex;
        uint256 totalSupplyShares;
        uint256 totalDebtShares;
        uint256 cash;
        uint256 borrowRate;
        uint256 config;
        bool indexesChanged;
    }

    /// @dev One liquidation, worked out in memory by `_prepareLiquidation` (shared by the execution and the preview)
    ///      and written by `executeLiquidation`. `collateral` is the same memory object as `debt` when both assets
    ///      are the same reserve, so each change lands once.
    struct LiquidationContext {
        Cache debt;
        Cache collateral;
        uint256 bitmapBefore;
        uint256 bitmap;
        uint256 debtPosition;
        uint256 collateralPosition;
        uint256 bonusBps;
        // Collateral value of the account outside `collateralAsset` (0: the seizure may leave bad debt).
        uint256 otherCollateralValue;
        address oracle;
    }

    /* CONSTRUCTOR / INITIALIZER */

    /// @inheritdoc ILendingPool
    function initialize(address registry_) external initializer {
        __StrataModule_init(registry_);
        __ReentrancyGuardTransient_init();
        _syncModules();
    }

    /* MODIFIERS */

    /// @dev StrataModule's `whenModuleNotPaused`, as one shared call instead of code inlined in every entry point
    ///      (the pool is close to the 24 KiB code-size limit).
    modifier whenPoolNotPaused() {
        _requireModuleNotPaused();
        _;
    }

    modifier onlyModule(bytes32 moduleId) {
        _checkCachedModule(moduleId);
        _;
    }

    /* SUPPLY */

    /// @inheritdoc ILendingPool
    function supply(address asset, uint256 amount, address onBehalfOf)
        external
        nonReentrant
        whenPoolNotPaused
        returns (uint256 shares)
    {
        require(amount != 0, LendingPoolZeroAmount());
        require(onBehalfOf != address(0), StrataZeroAddress());
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        Cache memory c = _loadAccrued(r);
        _checkAction(c.config, asset, Action.SUPPLY);

        // Down: a supplier never gets a share it has not paid for in full.
        shares = amount.toSharesDown(c.liquidityIndex);
        require(shares != 0, LendingPoolZeroShares(asset, amount));
        c.totalSupplyShares += shares;
        c.cash += amount;
        uint256 cap = c.config.supplyCap();
        if (cap != 0) {
            require(
                c.totalSupplyShares.toAssetsDown(c.liquidityIndex) <= cap * 10 ** c.config.decimals(),
                LendingPoolSupplyCapExceeded(asset, cap)
            );
        }
        _updateRate(c);
        _store(r, c);

        uint256 position = $.positions[asset][onBehalfOf];
        // The low half stays below 2**128: it is at most totalSupplyShares, range-checked by `_store`.
        $.positions[asset][onBehalfOf] = position + shares;
        if (position.lo() == 0) _enableCollateralOnFirstSupply($, c.config.id(), asset, onBehalfOf);

        emit Supplied(asset, msg.sender, onBehalfOf, amount, shares);
        _pullExact(asset, msg.sender, amount);
    }

    /* WITHDRAW */

    /// @inheritdoc ILendingPool
    function withdraw(address asset, uint256 amount, address to)
        external
        nonReentrant
        whenPoolNotPaused
        returns (uint256)
    {
        require(amount != 0, LendingPoolZeroAmount());
        require(to != address(0), StrataZeroAddress());
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        Cache memory c = _loadAccrued(r);
        _checkAction(c.config, asset, Action.WITHDRAW);

        uint256 position = $.positions[asset][msg.sender];
        uint256 userShares = position.lo();
        uint256 shares;
        if (amount == type(uint256).max) {
            shares = userShares;
            // Down: the pool pays no fraction of an asset it does not owe.
            amount = shares.toAssetsDown(c.liquidityIndex);
            require(amount != 0, LendingPoolInsufficientSupply(asset, msg.sender, amount, 0));
        } else {
            // Up: the withdrawer pays for every fraction of a share it takes out.
            shares = amount.toSharesUp(c.liquidityIndex);
            require(
                shares <= userShares,
                LendingPoolInsufficientSupply(asset, msg.sender, amount, userShares.toAssetsDown(c.liquidityIndex))
            );
        }
        _requireAvailable(c.cash, asset, amount);
        unchecked {
            // shares ≤ userShares ≤ totalSupplyShares; amount ≤ available ≤ cash.
            c.totalSupplyShares -= shares;
            c.cash -= amount;
            position -= shares;
        }
        _updateRate(c);
        _store(r, c);
        $.positions[asset][msg.sender] = position;

        uint256 bitmap = $.userConfigs[msg.sender];
        uint256 collateralBit = 1 << (c.config.id() << 1);
        if (bitmap & collateralBit != 0) {
            if (position.lo() == 0) {
                bitmap &= ~collateralBit;
                $.userConfigs[msg.sender] = bitmap;
                emit CollateralSet(asset, msg.sender, false);
            }
            // Only taking collateral away from a borrower can hurt solvency.
            if (bitmap & PoolPacking.BORROWING_MASK != 0) _requireHealthy($, msg.sender, bitmap);
        }

        emit Withdrawn(asset, msg.sender, to, amount, shares);
        IERC20(asset).safeTransfer(to, amount);
        return amount;
    }

    /* BORROW */

    /// @inheritdoc ILendingPool
    function borrow(address asset, uint256 amount, address onBehalfOf)
        external
        nonReentrant
        whenPoolNotPaused
        returns (uint256 shares)
    {
        require(amount != 0, LendingPoolZeroAmount());
        LendingPoolStorage storage $ = _getStorage();
        if (onBehalfOf != msg.sender) _spendBorrowAllowance($, onBehalfOf, asset, amount);
        Reserve storage r = $.reserves[asset];
        Cache memory c = _loadAccrued(r);
        _checkAction(c.config, asset, Action.BORROW);
        require(c.config.flags() & PoolPacking.FLAG_BORROWING_ENABLED != 0, LendingPoolBorrowingDisabled(asset));

        // Up: the borrower owes every fraction of a share it took.
        shares = amount.toSharesUp(c.borrowIndex);
        _requireAvailable(c.cash, asset, amount);
        c.totalDebtShares += shares;
        unchecked {
            c.cash -= amount;
        }
        if (c.config.flags() & PoolPacking.FLAG_BORROW_CAP != 0) {
            uint256 cap = r.borrowCap;
            require(
                c.totalDebtShares.toAssetsUp(c.borrowIndex) <= cap * 10 ** c.config.decimals(),
                LendingPoolBorrowCapExceeded(asset, cap)
            );
        }
        _updateRate(c);
        _store(r, c);

        _recordBorrow($, asset, onBehalfOf, shares, c.config.id());

        emit Borrowed(asset, msg.sender, onBehalfOf, amount, shares);
        IERC20(asset).safeTransfer(msg.sender, amount);
    }

    /* REPAY */

    /// @inheritdoc ILendingPool
    function repay(address asset, uint256 amount, address onBehalfOf)
        external
        nonReentrant
        whenPoolNotPaused
        returns (uint256)
    {
        require(amount != 0, LendingPoolZeroAmount());
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        Cache memory c = _loadAccrued(r);
        // Repay has no per-reserve pause: a borrower can always reduce its debt.
        _requireListed(c.config, asset);

        uint256 position = $.positions[asset][onBehalfOf];
        uint256 debtShares = position.hi();
        require(debtShares != 0, LendingPoolNoDebt(asset, onBehalfOf));
        // Up: the debt includes every fraction owed.
        uint256 debt = debtShares.toAssetsUp(c.borrowIndex);
        uint256 shares;
        if (amount >= debt) {
            amount = debt;
            shares = debtShares;
        } else {
            // Down: a partial repayment cancels no more debt than it pays for.
            shares = amount.toSharesDown(c.borrowIndex);
            require(shares != 0, LendingPoolZeroShares(asset, amount));
        }
        unchecked {
            // shares ≤ debtShares ≤ totalDebtShares.
            c.totalDebtShares -= shares;
        }
        c.cash += amount;
        _updateRate(c);
        _store(r, c);
        unchecked {
            $.positions[asset][onBehalfOf] = position - (shares << 128);
        }
        if (shares == debtShares) {
            $.userConfigs[onBehalfOf] &= ~(2 << (c.config.id() << 1));
        }

        emit Repaid(asset, msg.sender, onBehalfOf, amount, shares);
        _pullExact(asset, msg.sender, amount);
        return amount;
    }

    /* COLLATERAL */

    /// @inheritdoc ILendingPool
    function setCollateral(address asset, bool enabled) external nonReentrant whenPoolNotPaused {
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        uint256 config = r.config;
        _requireListed(config, asset);
        uint256 bit = 1 << (config.id() << 1);
        uint256 bitmap = $.userConfigs[msg.sender];
        if ((bitmap & bit != 0) == enabled) return;
        if (enabled) {
            require($.reserveRisks[config.id()].ltv() != 0, LendingPoolNotCollateral(asset));
            require($.positions[asset][msg.sender].lo() != 0, LendingPoolNoSupply(asset, msg.sender));
            bitmap |= bit;
            $.userConfigs[msg.sender] = bitmap;
        } else {
            bitmap &= ~bit;
            $.userConfigs[msg.sender] = bitmap;
            if (bitmap & PoolPacking.BORROWING_MASK != 0) _requireHealthy($, msg.sender, bitmap);
        }
        emit CollateralSet(asset, msg.sender, enabled);
    }

    /// @inheritdoc ILendingPool
    function approveDelegation(address delegatee, address asset, uint256 amount) external {
        mapping(address => uint256) storage allowances = _getStorage().borrowAllowances[msg.sender][delegatee];
        uint256 previous = allowances[asset];
        allowances[asset] = amount;
        emit BorrowAllowanceSet(msg.sender, delegatee, asset, previous, amount);
    }

    /* LIQUIDATION */

    /// @inheritdoc ILendingPoolModules
    function executeLiquidation(
        address liquidator,
        address borrower,
        address debtAsset,
        address collateralAsset,
        uint256 repayAmount
    )
        external
        nonReentrant
        whenPoolNotPaused
        onlyModule(ModuleIds.LIQUIDATION_ENGINE)
        returns (ILiquidationEngine.Liquidation memory liq, uint256 badDebtValue)
    {
        LendingPoolStorage storage $ = _getStorage();
        // msg.sender is the cached engine (checked above): its quote is the policy, refereed in there.
        LiquidationContext memory ctx;
        liq = _prepareLiquidation($, ctx, msg.sender, borrower, debtAsset, collateralAsset, repayAmount);

        _updateRate(ctx.debt);
        _store($.reserves[debtAsset], ctx.debt);
        // Same reserve: `collateral` is `debt` (stored twice, alike) and its position word carries both changes.
        _updateRate(ctx.collateral);
        _store($.reserves[collateralAsset], ctx.collateral);
        $.positions[debtAsset][borrower] = ctx.debtPosition;
        $.positions[collateralAsset][borrower] = ctx.collateralPosition;
        // Bad debt can only appear when this seizure took the last of the borrower's collateral.
        if (liq.collateralExhausted && ctx.otherCollateralValue == 0 && ctx.bitmap & PoolPacking.BORROWING_MASK != 0) {
            badDebtValue = _writeOffDebts($, borrower, ctx.bitmap);
            ctx.bitmap &= ~PoolPacking.BORROWING_MASK;
        }
        if (ctx.bitmap != ctx.bitmapBefore) $.userConfigs[borrower] = ctx.bitmap;

        emit LiquidationExecuted(
            liquidator, borrower, debtAsset, collateralAsset, liq.repayAmount, liq.seizeAmount, liq.protocolFeeAmount
        );
        _pullExact(debtAsset, liquidator, liq.repayAmount);
        IERC20(collateralAsset).safeTransfer(liquidator, liq.seizeAmount - liq.protocolFeeAmount);
    }

    /// @inheritdoc ILendingPoolModules
    function previewLiquidation(address borrower, address debtAsset, address collateralAsset, uint256 repayAmount)
        external
        view
        returns (ILiquidationEngine.Liquidation memory)
    {
        _requireModuleNotPaused();
        LendingPoolStorage storage $ = _getStorage();
        LiquidationContext memory ctx;
        return _prepareLiquidation($, ctx, $.liquidationEngine, borrower, debtAsset, collateralAsset, repayAmount);
    }

    /* FLASH LOANS */

    /// @inheritdoc ILendingPoolModules
    function flashLoanLend(address asset, address receiver, uint256 amount)
        external
        nonReentrant
        whenPoolNotPaused
        onlyModule(ModuleIds.FLASH_LOAN_MODULE)
    {
        require(amount != 0, LendingPoolZeroAmount());
        Reserve storage r = _getStorage().reserves[asset];
        _checkAction(r.config, asset, Action.FLASH);
        uint256 lent = _flashLent(asset);
        // The books keep counting lent funds as cash (rates do not move); only the availability shrinks.
        uint256 available = r.state.cash() - lent;
        require(amount <= available, LendingPoolFlashLoanTooLarge(asset, amount, available));
        _setFlashLent(asset, lent + amount);
        // No event: the module's `FlashLoanExecuted` names receiver, initiator, asset, amount and fee.
        IERC20(asset).safeTransfer(receiver, amount);
    }

    /// @inheritdoc ILendingPoolModules
    function flashLoanSettle(address asset, uint256 amount, uint256 fee)
        external
        nonReentrant
        onlyModule(ModuleIds.FLASH_LOAN_MODULE)
    {
        uint256 lent = _flashLent(asset);
        require(amount <= lent, LendingPoolFlashLoanNotOutstanding(asset, amount, lent));
        Reserve storage r = _getStorage().reserves[asset];
        uint256 state = r.state;
        uint256 cash = state.cash();
        // What came back = balance − what the books say the pool holds while `lent` is out.
        uint256 received = (IERC20(asset).balanceOf(address(this)) + lent).zeroFloorSub(cash);
        require(received >= amount + fee, LendingPoolFlashLoanNotRepaid(asset, amount + fee, received));
        unchecked {
            _setFlashLent(asset, lent - amount);
        }
        // No accrual and no new rate: the books counted the lent funds as cash throughout, so the loan moved
        // neither indices nor rate; the fee only adds cash, i.e. protocol reserves (cash + debt − supplied).
        // Interest since `lastUpdate` still accrues at the stored rate on the next touch; that rate was computed
        // with one fee less of cash, so it errs (by that fee's share of utilisation) in the suppliers' favour.
        if (fee != 0) r.state = state.withCash((cash + fee).toUint128());
    }

    /* MODULES */

    /// @inheritdoc ILendingPool
    function syncModules() external {
        _syncModules();
    }

    /* GOVERNANCE */

    /// @inheritdoc ILendingPool
    function listReserve(address asset, ReserveConfig calldata config, address rateModel) external onlyGovernance {
        require(asset != address(0), StrataZeroAddress());
        _validateRateModel(rateModel);
        _validateConfig(config);
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        require(r.config.flags() & PoolPacking.FLAG_LISTED == 0, LendingPoolReserveAlreadyListed(asset));
        uint256 id = $.reservesCount;
        require(id < MAX_RESERVES, LendingPoolTooManyReserves(MAX_RESERVES));
        uint8 decimals = IERC20Metadata(asset).decimals();
        require(decimals <= MAX_DECIMALS, LendingPoolUnsupportedDecimals(asset, decimals, MAX_DECIMALS));

        uint256 rate = PoolMath.min(IInterestRateModel(rateModel).getBorrowRate(0, 0), MAX_BORROW_RATE);
        r.indexes = PoolPacking.pack128(PoolMath.RAY, PoolMath.RAY);
        r.state = PoolPacking.packState(0, block.timestamp, rate);
        r.config = PoolPacking.packConfig(
            rateModel, config.reserveFactor, 0, _configFlags(config), id, decimals, config.supplyCap
        );
        r.borrowCap = config.borrowCap;
        $.reserveRisks[id] = PoolPacking.packRisk(
            asset, config.ltv, config.liquidationThreshold, config.liquidationBonus, decimals
        );
        $.reservesCount = id + 1;
        emit ReserveListed(asset, uint8(id), decimals, rateModel, config);
    }

    /// @inheritdoc ILendingPool
    function setReserveConfig(address asset, ReserveConfig calldata config) external onlyGovernance {
        _validateConfig(config);
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        // Interest up to now is split with the old reserve factor.
        Cache memory c = _loadAccrued(r);
        _requireListed(c.config, asset);
        ReserveConfig memory previous = _decodeConfig(c.config, $.reserveRisks[c.config.id()], r.borrowCap);
        uint256 decimals = c.config.decimals();
        c.config = PoolPacking.packConfig(
            c.config.rateModel(),
            config.reserveFactor,
            c.config.pausedActions(),
            _configFlags(config),
            c.config.id(),
            decimals,
            config.supplyCap
        );
        r.config = c.config;
        r.borrowCap = config.borrowCap;
        $.reserveRisks[c.config.id()] = PoolPacking.packRisk(
            asset, config.ltv, config.liquidationThreshold, config.liquidationBonus, decimals
        );
        _updateRate(c);
        _store(r, c);
        emit ReserveConfigUpdated(asset, previous, config);
    }

    /// @inheritdoc ILendingPool
    function setRateModel(address asset, address rateModel) external onlyGovernance {
        _validateRateModel(rateModel);
        Reserve storage r = _getStorage().reserves[asset];
        // Interest up to now accrues at the old model's rate.
        Cache memory c = _loadAccrued(r);
        _requireListed(c.config, asset);
        address previous = c.config.rateModel();
        c.config = c.config.withRateModel(rateModel);
        r.config = c.config;
        _updateRate(c);
        _store(r, c);
        emit RateModelUpdated(asset, previous, rateModel);
    }

    /// @inheritdoc ILendingPool
    function withdrawProtocolReserves(address asset, address to, uint256 amount)
        external
        nonReentrant
        onlyGovernance
        returns (uint256)
    {
        require(to != address(0), StrataZeroAddress());
        require(amount != 0, LendingPoolZeroAmount());
        Reserve storage r = _getStorage().reserves[asset];
        Cache memory c = _loadAccrued(r);
        _requireListed(c.config, asset);
        uint256 reserves = _protocolReserves(c);
        uint256 available = c.cash - _flashLent(asset);
        if (amount == type(uint256).max) amount = PoolMath.min(reserves, available);
        require(amount != 0 && amount <= reserves, LendingPoolInsufficientProtocolReserves(asset, amount, reserves));
        require(amount <= available, LendingPoolInsufficientLiquidity(asset, amount, available));
        unchecked {
            c.cash -= amount;
        }
        _updateRate(c);
        _store(r, c);
        emit ProtocolReservesWithdrawn(asset, to, amount, reserves - amount);
        IERC20(asset).safeTransfer(to, amount);
        return amount;
    }

    /// @inheritdoc ILendingPool
    function pauseAction(address asset, Action action) external onlyGuardianOrGovernance {
        _setPaused(asset, action, true);
    }

    /// @inheritdoc ILendingPool
    function unpauseAction(address asset, Action action) external onlyGovernance {
        _setPaused(asset, action, false);
    }

    /* VIEW */

    /// @inheritdoc IStrataModule
    function version() external pure returns (string memory) {
        return VERSION;
    }

    /// @inheritdoc ILendingPoolModules
    function getAccountData(address user) external view returns (AccountData memory) {
        LendingPoolStorage storage $ = _getStorage();
        return _accountData($, user, $.userConfigs[user], true, NO_RESERVE, address(0));
    }

    /// @inheritdoc ILendingPoolModules
    function getUserReserve(address asset, address user)
        external
        view
        returns (uint256 supplied, uint256 borrowed, bool usedAsCollateral)
    {
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        if (r.config.flags() & PoolPacking.FLAG_LISTED == 0) return (0, 0, false);
        Cache memory c = _loadAccrued(r);
        uint256 position = $.positions[asset][user];
        supplied = position.lo().toAssetsDown(c.liquidityIndex);
        borrowed = position.hi().toAssetsUp(c.borrowIndex);
        usedAsCollateral = $.userConfigs[user] & (1 << (c.config.id() << 1)) != 0;
    }

    /// @inheritdoc ILendingPool
    function getUserConfig(address user) external view returns (uint256) {
        return _getStorage().userConfigs[user];
    }

    /// @inheritdoc ILendingPool
    function borrowAllowance(address delegator, address delegatee, address asset) external view returns (uint256) {
        return _getStorage().borrowAllowances[delegator][delegatee][asset];
    }

    /// @inheritdoc ILendingPool
    function getReserveData(address asset) external view returns (ReserveData memory data) {
        Reserve storage r = _getStorage().reserves[asset];
        if (r.config.flags() & PoolPacking.FLAG_LISTED == 0) return data;
        Cache memory c = _loadAccrued(r);
        data.totalSupplied = c.totalSupplyShares.toAssetsDown(c.liquidityIndex);
        data.totalBorrowed = c.totalDebtShares.toAssetsUp(c.borrowIndex);
        data.cash = c.cash;
        data.availableLiquidity = c.cash - _flashLent(asset);
        data.protocolReserves = _protocolReserves(c);
        uint256 assets = c.cash + data.totalBorrowed;
        data.utilization = assets == 0 ? 0 : data.totalBorrowed.mulDivDown(PoolMath.WAD, assets);
        data.borrowRate = c.borrowRate;
        data.supplyRate = c.borrowRate.mulDivDown(data.utilization, PoolMath.WAD).mulDivDown(
            PoolMath.BPS - c.config.reserveFactor(), PoolMath.BPS
        );
        data.liquidityIndex = c.liquidityIndex;
        data.borrowIndex = c.borrowIndex;
        data.totalSupplyShares = c.totalSupplyShares;
        data.totalDebtShares = c.totalDebtShares;
        data.lastUpdate = r.state.lastUpdate();
        data.rateModel = c.config.rateModel();
        data.id = uint8(c.config.id());
        data.decimals = uint8(c.config.decimals());
        data.pausedActions = uint8(c.config.pausedActions());
    }

    /// @inheritdoc ILendingPool
    function getReserveConfig(address asset) external view returns (ReserveConfig memory) {
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        uint256 config = r.config;
        // An unlisted asset has id 0 in its (empty) config: it has no risk word of its own.
        uint256 risk = config.flags() & PoolPacking.FLAG_LISTED != 0 ? $.reserveRisks[config.id()] : 0;
        return _decodeConfig(config, risk, r.borrowCap);
    }

    /// @inheritdoc ILendingPool
    function isActionPaused(address asset, Action action) external view returns (bool) {
        return _getStorage().reserves[asset].config.pausedActions() & (1 << uint8(action)) != 0;
    }

    /// @inheritdoc ILendingPoolModules
    function getReservesList() external view returns (address[] memory list) {
        LendingPoolStorage storage $ = _getStorage();
        uint256 count = $.reservesCount;
        list = new address[](count);
        for (uint256 id; id < count; ++id) {
            list[id] = $.reserveRisks[id].riskAsset();
        }
    }

    /// @inheritdoc ILendingPoolModules
    function getLiquidationParams(address asset)
        external
        view
        returns (uint256 liquidationThreshold, uint256 liquidationBonus, uint8 decimals)
    {
        LendingPoolStorage storage $ = _getStorage();
        uint256 config = $.reserves[asset].config;
        _requireListed(config, asset);
        uint256 risk = $.reserveRisks[config.id()];
        // Basis points → WAD.
        liquidationThreshold = risk.liquidationThreshold() * (PoolMath.WAD / PoolMath.BPS);
        liquidationBonus = risk.liquidationBonus() * (PoolMath.WAD / PoolMath.BPS);
        decimals = uint8(risk.riskDecimals());
    }

    /// @inheritdoc ILendingPoolModules
    function availableLiquidity(address asset) external view returns (uint256) {
        return _getStorage().reserves[asset].state.cash() - _flashLent(asset);
    }

    /// @inheritdoc ILendingPoolModules
    function isFlashLoanAllowed(address asset) external view returns (bool) {
        uint256 config = _getStorage().reserves[asset].config;
        return config.flags() & PoolPacking.FLAG_LISTED != 0
            && config.pausedActions() & (1 << uint8(Action.FLASH)) == 0 && !modulePaused();
    }

    /// @inheritdoc ILendingPool
    function cachedModules()
        external
        view
        returns (address priceOracle_, address liquidationEngine_, address flashLoanModule_)
    {
        LendingPoolStorage storage $ = _getStorage();
        return ($.priceOracle, $.liquidationEngine, $.flashLoanModule);
    }

    /* INTERNAL: ACCRUAL */

    /// @dev Loads a reserve's hot words and accrues interest up to now in memory (see `ILendingPool` for the
    ///      formulas). Writes nothing: callers `_store` when they change the reserve, views just read.
    function _loadAccrued(Reserve storage r) private view returns (Cache memory c) {
        uint256 indexes = r.indexes;
        uint256 totals = r.totals;
        uint256 state = r.state;
        c.config = r.config;
        c.liquidityIndex = indexes.lo();
        c.borrowIndex = indexes.hi();
        c.totalSupplyShares = totals.lo();
        c.totalDebtShares = totals.hi();
        c.cash = state.cash();
        c.borrowRate = state.borrowRate();
        uint256 dt = block.timestamp - state.lastUpdate();
        if (dt != 0 && c.totalDebtShares != 0 && c.borrowRate != 0) {
            uint256 newBorrowIndex = c.borrowIndex.growBorrowIndex(c.borrowRate, dt);
            // Interest is the growth of the rounded-up total debt, so it never exceeds what borrowers will pay.
            uint256 interest =
                c.totalDebtShares.toAssetsUp(newBorrowIndex) - c.totalDebtShares.toAssetsUp(c.borrowIndex);
            c.borrowIndex = newBorrowIndex;
            if (c.totalSupplyShares != 0) {
                // Down (twice): the reserve factor's part and any remainder stay in the protocol's surplus.
                uint256 supplierInterest = interest - interest * c.config.reserveFactor() / PoolMath.BPS;
                c.liquidityIndex += supplierInterest * PoolMath.RAY / c.totalSupplyShares;
            }
            c.indexesChanged = true;
        }
    }

    /// @dev The stored rate is the one the next accrual applies: computed on the state this operation leaves.
    function _updateRate(Cache memory c) private view {
        uint256 rate = ViewCalls.borrowRate(c.config.rateModel(), c.cash, c.totalDebtShares.toAssetsUp(c.borrowIndex));
        // A faulty model cannot set a runaway rate (nor overflow the packed field).
        c.borrowRate = rate < MAX_BORROW_RATE ? rate : MAX_BORROW_RATE;
    }

    function _store(Reserve storage r, Cache memory c) private {
        if (c.indexesChanged) r.indexes = PoolPacking.pack128(c.liquidityIndex.toUint128(), c.borrowIndex.toUint128());
        r.totals = PoolPacking.pack128(c.totalSupplyShares.toUint128(), c.totalDebtShares.toUint128());
        r.state = PoolPacking.packState(c.cash.toUint128(), block.timestamp, c.borrowRate);
    }

    function _protocolReserves(Cache memory c) private pure returns (uint256) {
        return (c.cash + c.totalDebtShares.toAssetsUp(c.borrowIndex)).zeroFloorSub(
            c.totalSupplyShares.toAssetsDown(c.liquidityIndex)
        );
    }

    /* INTERNAL: SOLVENCY */

    /// @dev Sums a user's collateral and debt values over the reserves set in `bitmap`, one oracle call each.
    ///      `exact` accrues every reserve in memory (views, liquidation). Otherwise (borrow/withdraw checks)
    ///      collateral uses the stored liquidity index (≤ the real one: stricter) and debt the borrow index
    ///      grown to now from the stored rate; `opId`/`opAsset` name the reserve of the current operation so its
    ///      address is not read again.
    function _accountData(
        LendingPoolStorage storage $,
        address user,
        uint256 bitmap,
        bool exact,
        uint256 opId,
        address opAsset
    ) private view returns (AccountData memory data) {
        if (bitmap == 0) {
            data.healthFactor = type(uint256).max;
            return data;
        }
        address oracle = _oracle($);
        for (uint256 id; bitmap != 0; ++id) {
            uint256 bits = bitmap & 3;
            bitmap >>= 2;
            if (bits == 0) continue;
            uint256 risk;
            address asset;
            if (id == opId) {
                asset = opAsset;
                risk = _valuationRisk($, $.reserves[asset].config, bits);
            } else {
                risk = $.reserveRisks[id];
                asset = risk.riskAsset();
            }
            _addReserveValues(data, oracle, asset, risk, user, bits, exact);
        }
        data.healthFactor = data.debtValue == 0
            ? type(uint256).max
            // Down: a borrower is never judged healthier than it is.
            : data.liquidationThresholdValue.mulDivDown(PoolMath.WAD, data.debtValue);
    }

    function _addReserveValues(
        AccountData memory data,
        address oracle,
        address asset,
        uint256 risk,
        address user,
        uint256 bits,
        bool exact
    ) private view {
        LendingPoolStorage storage $ = _getStorage();
        Reserve storage r = $.reserves[asset];
        uint256 liquidityIndex;
        uint256 borrowIndex;
        if (exact) {
            Cache memory c = _loadAccrued(r);
            liquidityIndex = c.liquidityIndex;
            borrowIndex = c.borrowIndex;
        } else {
            uint256 indexes = r.indexes;
            liquidityIndex = indexes.lo();
            borrowIndex = indexes.hi();
            if (bits & 2 != 0) {
                uint256 state = r.state;
                uint256 dt = block.timestamp - state.lastUpdate();
                // Same growth as `_loadAccrued` (the user's debt makes totalDebtShares non-zero).
                if (dt != 0 && state.borrowRate() != 0) borrowIndex = borrowIndex.growBorrowIndex(state.borrowRate(), dt);
            }
        }
        _addValues(data, risk, oracle, asset, $.positions[asset][user], bits, liquidityIndex, borrowIndex);
    }

    /// @dev Adds one reserve's collateral and debt values (at the given indexes) to `data`; returns its price. `risk`
    ///      is the reserve's risk word (or, for a debt-only reserve, `decimalsOnlyRisk`).
    function _addValues(
        AccountData memory data,
        uint256 risk,
        address oracle,
        address asset,
        uint256 position,
        uint256 bits,
        uint256 liquidityIndex,
        uint256 borrowIndex
    ) private view returns (uint256 price) {
        price = ViewCalls.assetPrice(oracle, asset);
        require(price != 0, LendingPoolInvalidPrice(asset));
        uint256 unit = 10 ** risk.riskDecimals();
        if (bits & 1 != 0) {
            // Down: collateral is never valued above what it is.
            uint256 value = position.lo().toAssetsDown(liquidityIndex).mulDivDown(price, unit);
            data.collateralValue += value;
            data.borrowingPower += value * risk.ltv() / PoolMath.BPS;
            data.liquidationThresholdValue += value * risk.liquidationThreshold() / PoolMath.BPS;
        }
        if (bits & 2 != 0) {
            // Up: debt is never valued below what it is.
            data.debtValue += position.hi().toAssetsUp(borrowIndex).mulDivUp(price, unit);
        }
    }

    /// @dev Books the debt shares on the borrower and checks its borrowing power (split out of `borrow` for the
    ///      stack).
    function _recordBorrow(LendingPoolStorage storage $, address asset, address onBehalfOf, uint256 shares, uint256 id)
        private
    {
        uint256 position = $.positions[asset][onBehalfOf];
        // The high half stays below 2**128: it is at most totalDebtShares, range-checked by `_store`.
        $.positions[asset][onBehalfOf] = position + (shares << 128);
        uint256 bitmap = $.userConfigs[onBehalfOf];
        if (position.hi() == 0) {
            bitmap |= 2 << (id << 1);
            $.userConfigs[onBehalfOf] = bitmap;
        }
        AccountData memory data = _accountData($, onBehalfOf, bitmap, false, id, asset);
        require(
            data.debtValue <= data.borrowingPower,
            LendingPoolInsufficientCollateral(onBehalfOf, data.borrowingPower, data.debtValue)
        );
    }

    /// @dev The risk word to value a reserve the caller already holds `config` of (warm): a collateral's own word,
    ///      or for a debt-only reserve just its decimals, without a read.
    function _valuationRisk(LendingPoolStorage storage $, uint256 config, uint256 bits) private view returns (uint256) {
        return bits & 1 != 0 ? $.reserveRisks[config.id()] : PoolPacking.decimalsOnlyRisk(config.decimals());
    }

    function _requireHealthy(LendingPoolStorage storage $, address user, uint256 bitmap) private view {
        AccountData memory data = _accountData($, user, bitmap, false, NO_RESERVE, address(0));
        require(data.healthFactor >= PoolMath.WAD, LendingPoolHealthFactorTooLow(user, data.healthFactor));
    }

    function _oracle(LendingPoolStorage storage $) private view returns (address oracle) {
        oracle = $.priceOracle;
        require(oracle != address(0), LendingPoolOracleNotSet());
    }

    /* INTERNAL: LIQUIDATION */

    /// @dev The one code path behind `executeLiquidation` and `previewLiquidation`: accrues both reserves and values
    ///      the account in memory, asks `engine` for its quote, referees it, and applies it to `ctx` (in memory).
    function _prepareLiquidation(
        LendingPoolStorage storage $,
        LiquidationContext memory ctx,
        address engine,
        address borrower,
        address debtAsset,
        address collateralAsset,
        uint256 repayAmount
    ) private view returns (ILiquidationEngine.Liquidation memory liq) {
        ILiquidationEngine.LiquidationSnapshot memory snap =
            _liquidationSnapshot($, ctx, borrower, debtAsset, collateralAsset, repayAmount);
        liq = ILiquidationEngine(engine).quoteLiquidation(snap);
        _checkQuote(ctx, snap, liq);
        _applyQuote(ctx, snap, liq);
    }

    /// @dev Values the account once, like `getAccountData` (interest up to now, one price per reserve), keeping
    ///      what the engine and the referee need: both prices, the debt and collateral in the two reserves, and
    ///      the collateral value outside `collateralAsset`.
    function _liquidationSnapshot(
        LendingPoolStorage storage $,
        LiquidationContext memory ctx,
        address borrower,
        address debtAsset,
        address collateralAsset,
        uint256 repayAmount
    ) private view returns (ILiquidationEngine.LiquidationSnapshot memory snap) {
        snap.borrower = borrower;
        snap.debtAsset = debtAsset;
        snap.collateralAsset = collateralAsset;
        snap.repayAmount = repayAmount;
        ctx.debt = _loadAccrued($.reserves[debtAsset]);
        _checkAction(ctx.debt.config, debtAsset, Action.LIQUIDATE);
        if (collateralAsset == debtAsset) {
            ctx.collateral = ctx.debt;
        } else {
            ctx.collateral = _loadAccrued($.reserves[collateralAsset]);
            _checkAction(ctx.collateral.config, collateralAsset, Action.LIQUIDATE);
        }
        ctx.bonusBps = $.reserveRisks[ctx.collateral.config.id()].liquidationBonus();
        unchecked {
            snap.maxLiquidationBonus = ctx.bonusBps * (PoolMath.WAD / PoolMath.BPS);
        }
        snap.debtDecimals = uint8(ctx.debt.config.decimals());
        snap.collateralDecimals = uint8(ctx.collateral.config.decimals());

        uint256 bitmap = $.userConfigs[borrower];
        ctx.bitmapBefore = bitmap;
        ctx.bitmap = bitmap;
        ctx.oracle = _oracle($);
        // The other reserves as `getAccountData` values them; then the two of the liquidation from their caches.
        uint256 debtBits = 3 << (ctx.debt.config.id() << 1);
        uint256 collateralBits = 3 << (ctx.collateral.config.id() << 1);
        AccountData memory data =
            _accountData($, borrower, bitmap & ~(debtBits | collateralBits), true, NO_RESERVE, address(0));
        if (bitmap & debtBits != 0) {
            _addLiquidationReserveValues($, data, ctx, snap, debtBits == collateralBits ? 3 : 1, bitmap / (debtBits / 3) & 3);
        }
        if (bitmap & collateralBits != 0 && collateralBits != debtBits) {
            _addLiquidationReserveValues($, data, ctx, snap, 2, bitmap / (collateralBits / 3) & 3);
        }
        unchecked {
            // The collateral reserve's value is part of the sum.
            ctx.otherCollateralValue = data.collateralValue - ctx.otherCollateralValue;
        }
        snap.healthFactor = data.debtValue == 0
            ? type(uint256).max
            // Down: a borrower is never judged healthier than it is (as `_accountData`).
            : data.liquidationThresholdValue.mulDivDown(PoolMath.WAD, data.debtValue);
    }

    /// @dev `_addReserveValues` for the debt (`role` 1) and/or collateral (`role` 2) reserve of the liquidation (3 when
    ///      they are the same reserve), at the indexes of its cache in `ctx`; records the price, the position and the
    ///      amounts.
    function _addLiquidationReserveValues(
        LendingPoolStorage storage $,
        AccountData memory data,
        LiquidationContext memory ctx,
        ILiquidationEngine.LiquidationSnapshot memory snap,
        uint256 role,
        uint256 bits
    ) private view {
        address asset = role & 1 != 0 ? snap.debtAsset : snap.collateralAsset;
        Cache memory c = role & 1 != 0 ? ctx.debt : ctx.collateral;
        uint256 position = $.positions[asset][snap.borrower];
        uint256 valueBefore = data.collateralValue;
        uint256 price = _addValues(
            data, _valuationRisk($, c.config, bits), ctx.oracle, asset, position, bits, c.liquidityIndex, c.borrowIndex
        );
        if (role & 1 != 0) {
            snap.debtPrice = price;
            ctx.debtPosition = position;
            // Up: the borrower's debt includes every fraction owed (its value above is rounded the same way).
            snap.debt = position.hi().toAssetsUp(c.borrowIndex);
        }
        if (role & 2 != 0) {
            snap.collateralPrice = price;
            ctx.collateralPosition = position;
            if (bits & 1 != 0) {
                ctx.otherCollateralValue = data.collateralValue - valueBefore;
                // Down, like its value: never more than the borrower could withdraw.
                snap.collateral = position.lo().toAssetsDown(c.liquidityIndex);
            }
        }
    }

    /// @dev The referee: whatever the engine quoted, the pool only executes what its own rules allow, judged on its
    ///      own snapshot. seized value ≤ repaid value × (1 + bonus), both exact to the WAD unit: ⌊seize · pC /
    ///      unitC⌋ ≤ ⌊repay · pD · (BPS + bonus) / (unitD · BPS)⌋; an engine that rounds its seizure down passes.
    function _checkQuote(
        LiquidationContext memory ctx,
        ILiquidationEngine.LiquidationSnapshot memory snap,
        ILiquidationEngine.Liquidation memory liq
    ) private pure {
        uint256 repay = liq.repayAmount;
        uint256 seize = liq.seizeAmount;
        // (A zero repayment cancels no debt share: "ZERO_SHARES" below.)
        _requireLiquidation(seize != 0, "ZERO_AMOUNT");
        _requireLiquidation(liq.protocolFeeAmount <= seize, "FEE_ABOVE_SEIZE");
        // The liquidator approved the pool: the engine cannot make it pay more than it asked.
        _requireLiquidation(repay <= snap.repayAmount, "ABOVE_REQUEST");
        _requireLiquidation(repay <= snap.debt, "OVER_REPAY");
        // (`collateral` is 0 unless the reserve is the borrower's collateral.)
        if (seize > snap.collateral) {
            _requireLiquidation(false, snap.collateral == 0 ? bytes32("NOT_COLLATERAL") : bytes32("OVER_SEIZE"));
        }
        _requireLiquidation(snap.healthFactor < PoolMath.WAD, "HEALTHY");
        uint256 seizedValue;
        uint256 repaidValue;
        uint256 d;
        unchecked {
            // No overflow: seize ≤ collateral and repay ≤ debt, and the valuation has multiplied those by their
            // prices already (checked); decimals ≤ 36.
            seizedValue = seize * snap.collateralPrice / 10 ** snap.collateralDecimals;
            repaidValue = repay * snap.debtPrice;
            d = 10 ** snap.debtDecimals * PoolMath.BPS;
        }
        // ⌊v · k / d⌋ = ⌊v / d⌋ · k + ⌊(v mod d) · k / d⌋, exact without a 512-bit product.
        uint256 k = PoolMath.BPS + ctx.bonusBps;
        _requireLiquidation(seizedValue <= (repaidValue / d) * k + (repaidValue % d) * k / d, "BONUS_EXCEEDED");
        // What the pool reports is its own valuation, not the engine's word.
        liq.healthFactor = snap.healthFactor;
        liq.debtPrice = snap.debtPrice;
        liq.collateralPrice = snap.collateralPrice;
        liq.collateralExhausted = seize == snap.collateral;
    }

    /// @dev Burns the repaid debt shares and the seized collateral shares in memory (stored by the caller).
    function _applyQuote(
        LiquidationContext memory ctx,
        ILiquidationEngine.LiquidationSnapshot memory snap,
        ILiquidationEngine.Liquidation memory liq
    ) private view {
        Cache memory c = ctx.debt;
        uint256 debtShares = ctx.debtPosition.hi();
        // Down: a partial repayment cancels no more debt than it pays for (≤ debtShares: repay ≤ debt, index ≥ RAY).
        uint256 shares = liq.repayAmount == snap.debt ? debtShares : liq.repayAmount.toSharesDown(c.borrowIndex);
        _requireLiquidation(shares != 0, "ZERO_SHARES");
        unchecked {
            c.totalDebtShares -= shares;
            ctx.debtPosition -= shares << 128;
            // cash < 2**128 and repay ≤ debt < 2**215 (`_store` range-checks the result).
            c.cash += liq.repayAmount;
        }
        if (shares == debtShares) ctx.bitmap &= ~(2 << (c.config.id() << 1));

        // Same reserve: one position word carries both changes.
        if (snap.collateralAsset == snap.debtAsset) ctx.collateralPosition = ctx.debtPosition;
        c = ctx.collateral;
        // Up: the borrower's shares pay for every fraction seized (≤ its shares since seize ≤ its supply).
        shares = liq.seizeAmount.toSharesUp(c.liquidityIndex);
        uint256 paidOut = liq.seizeAmount - liq.protocolFeeAmount;
        _requireAvailable(c.cash, snap.collateralAsset, paidOut);
        unchecked {
            c.totalSupplyShares -= shares;
            // The protocol fee stays in cash while its shares are burnt: it becomes protocol reserves.
            c.cash -= paidOut;
            ctx.collateralPosition -= shares;
        }
        if (ctx.collateralPosition.lo() == 0) ctx.bitmap &= ~(1 << (c.config.id() << 1));
    }

    /// @dev Writes off every debt of `borrower` (`bitmap`'s borrowing bits); returns their USD value.
    function _writeOffDebts(LendingPoolStorage storage $, address borrower, uint256 bitmap)
        private
        returns (uint256 totalValue)
    {
        address oracle = $.priceOracle;
        for (uint256 id; bitmap != 0; ++id) {
            if (bitmap & 2 != 0) totalValue += _writeOff($, oracle, $.reserveRisks[id].riskAsset(), borrower);
            bitmap >>= 2;
        }
    }

    /// @dev Cancels `borrower`'s whole debt in `asset`: the surplus (protocol reserves) absorbs it first, then the
    ///      liquidity index falls until suppliers are owed no more than cash + remaining debt.
    function _writeOff(LendingPoolStorage storage $, address oracle, address asset, address borrower)
        private
        returns (uint256 value)
    {
        Reserve storage r = $.reserves[asset];
        Cache memory c = _loadAccrued(r);
        uint256 debtShares = $.positions[asset][borrower].hi();
        uint256 debt = debtShares.toAssetsUp(c.borrowIndex);
        uint256 supplied = c.totalSupplyShares.toAssetsDown(c.liquidityIndex);
        uint256 covered = PoolMath.min(debt, _protocolReserves(c));
        unchecked {
            c.totalDebtShares -= debtShares;
        }
        uint256 backing = c.cash + c.totalDebtShares.toAssetsUp(c.borrowIndex);
        if (supplied > backing) {
            // Down: suppliers bear the rounding; the index never reaches 0 (shares must stay convertible).
            uint256 index = backing * PoolMath.RAY / c.totalSupplyShares;
            c.liquidityIndex = index == 0 ? 1 : index;
            c.indexesChanged = true;
        }
        _updateRate(c);
        _store(r, c);
        $.positions[asset][borrower] &= PoolPacking.MASK_128;
        emit BadDebtWrittenOff(borrower, asset, debt, covered, debt - covered);

        uint256 price = ViewCalls.assetPrice(oracle, asset);
        require(price != 0, LendingPoolInvalidPrice(asset));
        // Up: the value of a debt is never understated.
        value = debt.mulDivUp(price, 10 ** c.config.decimals());
    }

    /* INTERNAL: HELPERS */

    function _requireModuleNotPaused() private view {
        require(!_getStorage().paused, StrataModulePaused());
    }

    /// @notice Whether the whole pool is paused (guardian or governance pause, governance unpause).
    /// @return True while paused.
    function modulePaused() public view override(IStrataModule, StrataModule) returns (bool) {
        return _getStorage().paused;
    }

    function _setModulePaused(bool paused) internal override {
        _getStorage().paused = paused;
    }

    /// @dev The cached address (see `syncModules`) saves a registry call per hook.
    function _checkCachedModule(bytes32 moduleId) private view {
        LendingPoolStorage storage $ = _getStorage();
        address cached = moduleId == ModuleIds.LIQUIDATION_ENGINE ? $.liquidationEngine : $.flashLoanModule;
        require(msg.sender == cached, StrataUnauthorizedModule(msg.sender, moduleId));
    }

    function _requireLiquidation(bool condition, bytes32 reason) private pure {
        require(condition, LendingPoolInvalidLiquidation(reason));
    }

    function _requireListed(uint256 config, address asset) private pure {
        require(config.flags() & PoolPacking.FLAG_LISTED != 0, LendingPoolReserveNotListed(asset));
    }

    /// @dev Flash-lent funds are still cash in the books but cannot leave twice.
    function _requireAvailable(uint256 cash, address asset, uint256 amount) private view {
        uint256 available = cash - _flashLent(asset);
        require(amount <= available, LendingPoolInsufficientLiquidity(asset, amount, available));
    }

    function _checkAction(uint256 config, address asset, Action action) private pure {
        _requireListed(config, asset);
        require(config.pausedActions() & (1 << uint8(action)) == 0, LendingPoolActionPaused(asset, action));
    }

    function _enableCollateralOnFirstSupply(
        LendingPoolStorage storage $,
        uint256 id,
        address asset,
        address user
    ) private {
        if ($.reserveRisks[id].ltv() == 0) return;
        uint256 bit = 1 << (id << 1);
        uint256 bitmap = $.userConfigs[user];
        if (bitmap & bit != 0) return;
        $.userConfigs[user] = bitmap | bit;
        emit CollateralSet(asset, user, true);
    }

    function _spendBorrowAllowance(LendingPoolStorage storage $, address delegator, address asset, uint256 amount)
        private
    {
        mapping(address => uint256) storage allowances = $.borrowAllowances[delegator][msg.sender];
        uint256 allowance = allowances[asset];
        require(
            allowance >= amount,
            LendingPoolInsufficientBorrowAllowance(delegator, msg.sender, asset, allowance, amount)
        );
        if (allowance != type(uint256).max) {
            unchecked {
                allowances[asset] = allowance - amount;
            }
            emit BorrowAllowanceSet(delegator, msg.sender, asset, allowance, allowance - amount);
        }
    }

    /// @dev Pulls exactly `amount` (the books are credited with it): a token that delivers less (fee on
    ///      transfer) or more is refused.
    function _pullExact(address asset, address from, uint256 amount) private {
        uint256 balanceBefore = IERC20(asset).balanceOf(address(this));
        IERC20(asset).safeTransferFrom(from, address(this), amount);
        uint256 received = IERC20(asset).balanceOf(address(this)).zeroFloorSub(balanceBefore);
        require(received == amount, LendingPoolFeeOnTransferNotSupported(asset, amount, received));
    }

    function _setPaused(address asset, Action action, bool paused) private {
        Reserve storage r = _getStorage().reserves[asset];
        uint256 config = r.config;
        _requireListed(config, asset);
        uint256 previous = config.pausedActions();
        uint256 bit = 1 << uint8(action);
        uint256 current = paused ? previous | bit : previous & ~bit;
        r.config = config.withPausedActions(current);
        emit ReservePauseUpdated(asset, uint8(previous), uint8(current));
    }

    function _syncModules() private {
        LendingPoolStorage storage $ = _getStorage();
        address previousOracle = $.priceOracle;
        address previousEngine = $.liquidationEngine;
        address previousFlash = $.flashLoanModule;
        IModuleRegistry reg = _registry();
        address oracle = _moduleOf(reg, ModuleIds.PRICE_ORACLE);
        address engine = _moduleOf(reg, ModuleIds.LIQUIDATION_ENGINE);
        address flash = _moduleOf(reg, ModuleIds.FLASH_LOAN_MODULE);
        $.priceOracle = oracle;
        $.liquidationEngine = engine;
        $.flashLoanModule = flash;
        emit ModulesSynced(previousOracle, oracle, previousEngine, engine, previousFlash, flash);
    }

    /// @dev One call site for the three lookups (the pool is close to the 24 KiB code-size limit).
    function _moduleOf(IModuleRegistry reg, bytes32 id) private view returns (address) {
        return reg.moduleOf(id);
    }

    function _validateConfig(ReserveConfig calldata config) private pure {
        if (config.ltv != 0 || config.liquidationThreshold != 0) {
            require(config.ltv < config.liquidationThreshold, LendingPoolInvalidConfig("LTV_NOT_BELOW_THRESHOLD"));
        }
        require(config.liquidationThreshold <= PoolMath.BPS, LendingPoolInvalidConfig("THRESHOLD_ABOVE_ONE"));
        // threshold × (1 + bonus) < 1: seizing a position at the threshold never takes more than it holds.
        require(
            uint256(config.liquidationThreshold) * (PoolMath.BPS + config.liquidationBonus) < PoolMath.BPS * PoolMath.BPS,
            LendingPoolInvalidConfig("BONUS_TOO_HIGH")
        );
        require(config.reserveFactor <= PoolMath.BPS, LendingPoolInvalidConfig("RESERVE_FACTOR_ABOVE_ONE"));
    }

    function _validateRateModel(address rateModel) private view {
        require(rateModel != address(0) && rateModel.code.length != 0, LendingPoolInvalidRateModel(rateModel));
    }

    function _configFlags(ReserveConfig calldata config) private pure returns (uint256 flags) {
        flags = PoolPacking.FLAG_LISTED;
        if (config.borrowingEnabled) flags |= PoolPacking.FLAG_BORROWING_ENABLED;
        if (config.borrowCap != 0) flags |= PoolPacking.FLAG_BORROW_CAP;
    }

    function _decodeConfig(uint256 config, uint256 risk, uint256 borrowCap) private pure returns (ReserveConfig memory) {
        return ReserveConfig({
            ltv: uint16(risk.ltv()),
            liquidationThreshold: uint16(risk.liquidationThreshold()),
            liquidationBonus: uint16(risk.liquidationBonus()),
            reserveFactor: uint16(config.reserveFactor()),
            supplyCap: uint48(config.supplyCap()),
            borrowCap: uint48(borrowCap),
            borrowingEnabled: config.flags() & PoolPacking.FLAG_BORROWING_ENABLED != 0
        });
    }

    function _flashLent(address asset) private view returns (uint256 amount) {
        bytes32 slot = _flashLentSlot(asset);
        assembly ("memory-safe") {
            amount := tload(slot)
        }
    }

    function _setFlashLent(address asset, uint256 amount) private {
        bytes32 slot = _flashLentSlot(asset);
        assembly ("memory-safe") {
            tstore(slot, amount)
        }
    }

    function _flashLentSlot(address asset) private pure returns (bytes32 slot) {
        assembly ("memory-safe") {
            mstore(0x00, asset)
            mstore(0x20, FLASH_LENT_TRANSIENT_BASE)
            slot := keccak256(0x00, 0x40)
        }
    }

    function _getStorage() private pure returns (LendingPoolStorage storage $) {
        assembly ("memory-safe") {
            $.slot := LENDING_POOL_STORAGE_LOCATION
        }
    }
}
