// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransientUpgradeable} from
    "@openzeppelin/contracts-upgradeable/utils/ReentrancyGuardTransientUpgradeable.sol";
import {StrataModule} from "../base/StrataModule.sol";
import {ModuleIds} from "../libraries/ModuleIds.sol";
import {IModuleRegistry} from "../../interfaces/IModuleRegistry.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";
import {ILiquidationEngine} from "../../interfaces/ILiquidationEngine.sol";

/// @title LiquidationEngineBase
/// @notice The liquidation logic shared by every version of the engine. It declares no storage namespace:
///         each deployable version owns the `strata.storage.LiquidationEngine` struct (version 2 appends to
///         version 1's) and hands this base its `EngineConfig` through `_config()`.
/// @dev Why not `V2 is V1`: OpenZeppelin's upgrade validation rejects a child that redeclares its parent's
///      ERC-7201 namespace, and a version must be able to append fields to that very namespace.
abstract contract LiquidationEngineBase is StrataModule, ReentrancyGuardTransientUpgradeable, ILiquidationEngine {
    using Math for uint256;

    /* CONSTANTS */

    uint256 internal constant WAD = 1e18;
    /// @dev Factors are stored in units of 1e-9 (WAD / 1e9) so that the whole hot config fits two slots; setters
    ///      reject finer values, so every getter returns exactly what governance set.
    uint256 internal constant FACTOR_UNIT = 1e9;

    /* STORAGE */

    /// @dev Two slots, both read by every liquidation:
    ///      slot 0: pool (20 bytes) | closeFactor (4) | fullLiquidationHealthFactor (4) | protocolFeeShare (4);
    ///      slot 1: oracle (20) | dustDebtValue (12, USD WAD, up to 7.9e28).
    ///      The three factors are in FACTOR_UNIT (1e-9): ≤ 1e9 fits 32 bits.
    struct EngineConfig {
        ILendingPoolModules pool;
        uint32 closeFactor;
        uint32 fullLiquidationHealthFactor;
        uint32 protocolFeeShare;
        IPriceOracle oracle;
        uint96 dustDebtValue;
    }

    /// @dev The version's namespaced storage holds the config as its first member.
    function _config() internal view virtual returns (EngineConfig storage);

    /* CONSTRUCTOR / INITIALIZER */

    /// @dev Each version's `initialize` (declared in the deployable contract itself, where OpenZeppelin's
    ///      validation looks for it) runs this. The pool and oracle are read from the registry when both are
    ///      already registered; otherwise `syncModules()` must be called once they are.
    function __LiquidationEngineBase_init(
        address registry_,
        uint256 closeFactor_,
        uint256 fullLiquidationHealthFactor_,
        uint256 dustDebtValue_,
        uint256 protocolFeeShare_
    ) internal onlyInitializing {
        __StrataModule_init(registry_);
        __ReentrancyGuardTransient_init();
        _setCloseFactor(closeFactor_);
        _setFullLiquidationHealthFactor(fullLiquidationHealthFactor_);
        _setDustDebtValue(dustDebtValue_);
        _setProtocolFeeShare(protocolFeeShare_);
        IModuleRegistry reg = IModuleRegistry(registry_);
        address pool_ = reg.moduleOf(ModuleIds.LENDING_POOL);
        address oracle_ = reg.moduleOf(ModuleIds.PRICE_ORACLE);
        if (pool_ != address(0) && oracle_ != address(0)) _storeModules(pool_, oracle_);
    }

    /* LIQUIDATION */

    /// @inheritdoc ILiquidationEngine
    function liquidate(address borrower, address debtAsset, address collateralAsset, uint256 repayAmount)
        external
        whenModuleNotPaused
        nonReentrant
        returns (Liquidation memory liq)
    {
        // One call: the pool values the account, calls back `quoteLiquidation`, referees the quote, moves the funds,
        // writes off bad debt and emits `LiquidationExecuted`; the engine keeps no state, so it adds no event of
        // its own except for bad debt.
        uint256 badDebtValue;
        (liq, badDebtValue) =
            _pool().executeLiquidation(msg.sender, borrower, debtAsset, collateralAsset, repayAmount);
        if (badDebtValue != 0) emit BadDebtCleared(borrower, msg.sender, badDebtValue);
    }

    /// @inheritdoc ILiquidationEngine
    function previewLiquidation(address borrower, address debtAsset, address collateralAsset, uint256 repayAmount)
        external
        view
        whenModuleNotPaused
        returns (Liquidation memory)
    {
        return _pool().previewLiquidation(borrower, debtAsset, collateralAsset, repayAmount);
    }

    /// @inheritdoc ILiquidationEngine
    function quoteLiquidation(LiquidationSnapshot calldata snapshotData) external view returns (Liquidation memory liq) {
        // One decoding of the calldata struct; each field is then a plain memory read.
        LiquidationSnapshot memory snapshot = snapshotData;
        require(snapshot.repayAmount != 0, LiquidationEngineZeroRepay());
        require(
            snapshot.healthFactor < WAD, LiquidationEngineHealthyPosition(snapshot.borrower, snapshot.healthFactor)
        );
        uint256 debt = snapshot.debt;
        require(debt != 0, LiquidationEngineNoDebt(snapshot.borrower, snapshot.debtAsset));
        uint256 collateral = snapshot.collateral;
        require(collateral != 0, LiquidationEngineNoCollateral(snapshot.borrower, snapshot.collateralAsset));
        EngineConfig storage $ = _config();

        liq.healthFactor = snapshot.healthFactor;
        liq.debtPrice = snapshot.debtPrice;
        liq.collateralPrice = snapshot.collateralPrice;
        liq.liquidationBonus = _liquidationBonus(snapshot.healthFactor, snapshot.maxLiquidationBonus);

        // Close factor. The dust test values this asset's debt rounded up, like the pool values debt. The 256-bit
        // products here and in the fee (debt × price, debt × factor, seize × bonus × share) are ones the pool's
        // valuation bounds already (it multiplies debt and collateral by their prices); only the seizure's rate
        // needs the 512-bit `mulDiv`.
        liq.maxRepayAmount = debt;
        if (
            snapshot.healthFactor >= uint256($.fullLiquidationHealthFactor) * FACTOR_UNIT
                && Math.ceilDiv(debt * liq.debtPrice, 10 ** snapshot.debtDecimals) >= $.dustDebtValue
        ) {
            // Up: the excess over the exact share is under 1 wei of debt, and rounding down would leave a 1-wei
            // debt that no liquidation could ever touch.
            liq.maxRepayAmount = Math.ceilDiv(debt * $.closeFactor, WAD / FACTOR_UNIT);
        }
        uint256 repay = snapshot.repayAmount < liq.maxRepayAmount ? snapshot.repayAmount : liq.maxRepayAmount;

        // seize = repay × debtPrice × (1 + bonus) / collateralPrice, rescaled between the two assets' decimals,
        // as one fraction so that there is a single rounding.
        (uint256 num, uint256 den) = _debtToCollateralRate(liq, snapshot.debtDecimals, snapshot.collateralDecimals);
        // Down: the liquidator never gets more than the bonus allows (borrower's favour).
        uint256 seize = repay.mulDiv(num, den, Math.Rounding.Floor);
        if (seize >= collateral) {
            if (seize > collateral) {
                seize = collateral;
                // Up: the liquidator pays at least the fair price of all the collateral (borrower's favour). Never
                // above the requested repay, since that one bought more than `collateral`.
                repay = collateral.mulDiv(den, num, Math.Rounding.Ceil);
            }
            liq.collateralExhausted = true;
        }
        // A repayment that buys nothing would be a repay on the borrower's behalf disguised as a liquidation.
        require(seize != 0, LiquidationEngineNothingToSeize(repay));
        liq.repayAmount = repay;
        liq.seizeAmount = seize;

        // fee = seize × bonus / (1 + bonus) × share: the protocol's part of the bonus collateral. Up: the
        // protocol's cut is never shaved by rounding; it stays ≤ seize since bonus/(1+bonus) × share < 1.
        uint256 bonus = liq.liquidationBonus;
        liq.protocolFeeAmount = Math.ceilDiv(seize * (bonus * $.protocolFeeShare), (WAD + bonus) * (WAD / FACTOR_UNIT));
    }

    /* ADMIN */

    /// @inheritdoc ILiquidationEngine
    function syncModules() external {
        IModuleRegistry reg = _registry();
        _storeModules(reg.requireModule(ModuleIds.LENDING_POOL), reg.requireModule(ModuleIds.PRICE_ORACLE));
    }

    /// @inheritdoc ILiquidationEngine
    function setCloseFactor(uint256 newCloseFactor) external onlyGovernance {
        _setCloseFactor(newCloseFactor);
    }

    /// @inheritdoc ILiquidationEngine
    function setFullLiquidationHealthFactor(uint256 newHealthFactor) external onlyGovernance {
        _setFullLiquidationHealthFactor(newHealthFactor);
    }

    /// @inheritdoc ILiquidationEngine
    function setDustDebtValue(uint256 newDustDebtValue) external onlyGovernance {
        _setDustDebtValue(newDustDebtValue);
    }

    /// @inheritdoc ILiquidationEngine
    function setProtocolFeeShare(uint256 newProtocolFeeShare) external onlyGovernance {
        _setProtocolFeeShare(newProtocolFeeShare);
    }

    /* VIEW */

    /// @inheritdoc ILiquidationEngine
    function pool() external view returns (address) {
        return address(_config().pool);
    }

    /// @inheritdoc ILiquidationEngine
    function oracle() external view returns (address) {
        return address(_config().oracle);
    }

    /// @inheritdoc ILiquidationEngine
    function closeFactor() external view returns (uint256) {
        return uint256(_config().closeFactor) * FACTOR_UNIT;
    }

    /// @inheritdoc ILiquidationEngine
    function fullLiquidationHealthFactor() external view returns (uint256) {
        return uint256(_config().fullLiquidationHealthFactor) * FACTOR_UNIT;
    }

    /// @inheritdoc ILiquidationEngine
    function dustDebtValue() external view returns (uint256) {
        return _config().dustDebtValue;
    }

    /// @inheritdoc ILiquidationEngine
    function protocolFeeShare() external view returns (uint256) {
        return uint256(_config().protocolFeeShare) * FACTOR_UNIT;
    }

    /// @inheritdoc ILiquidationEngine
    function liquidationBonusAt(address collateralAsset, uint256 healthFactor) external view returns (uint256) {
        (, uint256 maxBonus,) = _pool().getLiquidationParams(collateralAsset);
        return _liquidationBonus(healthFactor, maxBonus);
    }

    /* INTERNAL */

    function _pool() internal view returns (ILendingPoolModules pool_) {
        pool_ = _config().pool;
        require(address(pool_) != address(0), LiquidationEngineModulesNotSynced());
    }

    /// @dev The price of one debt base unit in collateral base units, bonus included, as a fraction. Decimals are
    ///      folded in as a power of ten on one side only. Bound: price × (1 + bonus) × 10^gap < 2^256, e.g. a
    ///      decimal gap up to 28 for prices up to 1e30 WAD; beyond it the checked product reverts, never wraps.
    function _debtToCollateralRate(Liquidation memory liq, uint8 debtDecimals, uint8 collateralDecimals)
        internal
        pure
        returns (uint256 num, uint256 den)
    {
        num = liq.debtPrice * (WAD + liq.liquidationBonus);
        den = liq.collateralPrice * WAD;
        if (collateralDecimals >= debtDecimals) num *= 10 ** (collateralDecimals - debtDecimals);
        else den *= 10 ** (debtDecimals - collateralDecimals);
    }

    /// @dev The bonus rule of the version: `maxBonus` is the collateral reserve's configured liquidation bonus.
    function _liquidationBonus(uint256 healthFactor, uint256 maxBonus) internal view virtual returns (uint256);

    function _storeModules(address pool_, address oracle_) private {
        EngineConfig storage $ = _config();
        address previousPool = address($.pool);
        address previousOracle = address($.oracle);
        $.pool = ILendingPoolModules(pool_);
        $.oracle = IPriceOracle(oracle_);
        emit EngineModulesSynced(previousPool, pool_, previousOracle, oracle_);
    }

    function _setCloseFactor(uint256 value) private {
        require(
            value != 0 && value <= WAD && value % FACTOR_UNIT == 0, LiquidationEngineInvalidParameter("closeFactor", value)
        );
        EngineConfig storage $ = _config();
        uint256 previous = uint256($.closeFactor) * FACTOR_UNIT;
        $.closeFactor = uint32(value / FACTOR_UNIT);
        emit CloseFactorSet(previous, value);
    }

    function _setFullLiquidationHealthFactor(uint256 value) private {
        require(
            value <= WAD && value % FACTOR_UNIT == 0, LiquidationEngineInvalidParameter("fullLiquidationHealthFactor", value)
        );
        EngineConfig storage $ = _config();
        uint256 previous = uint256($.fullLiquidationHealthFactor) * FACTOR_UNIT;
        $.fullLiquidationHealthFactor = uint32(value / FACTOR_UNIT);
        emit FullLiquidationHealthFactorSet(previous, value);
    }

    function _setDustDebtValue(uint256 value) private {
        require(value <= type(uint96).max, LiquidationEngineInvalidParameter("dustDebtValue", value));
        EngineConfig storage $ = _config();
        uint256 previous = $.dustDebtValue;
        $.dustDebtValue = uint96(value);
        emit DustDebtValueSet(previous, value);
    }

    function _setProtocolFeeShare(uint256 value) private {
        require(
            value <= WAD && value % FACTOR_UNIT == 0, LiquidationEngineInvalidParameter("protocolFeeShare", value)
        );
        EngineConfig storage $ = _config();
        uint256 previous = uint256($.protocolFeeShare) * FACTOR_UNIT;
        $.protocolFeeShare = uint32(value / FACTOR_UNIT);
        emit ProtocolFeeShareSet(previous, value);
    }
}
