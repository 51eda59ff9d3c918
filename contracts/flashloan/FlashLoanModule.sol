// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "@openzeppelin/contracts/interfaces/IERC3156FlashLender.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransientUpgradeable} from
    "@openzeppelin/contracts-upgradeable/utils/ReentrancyGuardTransientUpgradeable.sol";
import {StrataModule} from "../base/StrataModule.sol";
import {ModuleIds} from "../libraries/ModuleIds.sol";
import {IStrataModule} from "../../interfaces/IStrataModule.sol";
import {IFlashLoanModule} from "../../interfaces/IFlashLoanModule.sol";
import {IMultiFlashBorrower} from "../../interfaces/IMultiFlashBorrower.sol";
import {ILendingPoolModules} from "../../interfaces/ILendingPoolModules.sol";

/// @title FlashLoanModule
/// @notice ERC-3156 flash lender (and multi-asset variant) over the LendingPool's liquidity.
/// @dev Holds no funds and no balances: the pool lends and is repaid directly, and re-checks that it was
///      made whole in `flashLoanSettle`. This module is policy only (which reserves, what fee, paused or not).
contract FlashLoanModule is StrataModule, ReentrancyGuardTransientUpgradeable, IFlashLoanModule {
    /* CONSTANTS */

    /// @inheritdoc IFlashLoanModule
    uint16 public constant MAX_FLASH_FEE_BPS = 100;

    uint256 private constant BPS = 10_000;
    uint256 private constant FILTER_BITS = 80;
    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");
    bytes32 private constant MULTI_CALLBACK_SUCCESS = keccak256("IMultiFlashBorrower.onMultiFlashLoan");

    /* STORAGE */

    /// @dev One slot per reserve, read by a loan only when the reserve's filter bit is set. `disabled` rather than
    ///      `enabled` so that every pool reserve is flash-loanable by default (and the zero config means "defaults"),
    ///      `hasOwnFee` so that an explicit 0 fee is possible.
    struct ReserveFlashConfig {
        uint16 feeBps;
        bool hasOwnFee;
        bool disabled;
    }

    /// @custom:storage-location erc7201:strata.storage.FlashLoanModule
    struct FlashLoanModuleStorage {
        // packed slot, the only one a loan on a reserve without its own settings reads:
        // the pool (cached from the registry: saves an external call per loan), the default fee, and a filter of
        // the assets ever configured (bit `asset % 80`, never cleared): an asset whose bit is clear has the zero
        // config, so its cold `reserves` slot is not read.
        address pool;
        uint16 defaultFeeBps;
        uint80 configuredFilter;
        mapping(address asset => ReserveFlashConfig) reserves;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.FlashLoanModule")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant FLASH_LOAN_MODULE_STORAGE_LOCATION =
        0x5803d15237d0f530cace1512d3c5242e73c93a4d1f99f353fda8bc8c6e62ef00;

    /* CONSTRUCTOR / INITIALIZER */

    /// @notice Initialises the module behind its proxy.
    /// @param registry_ The module registry (roles, and the LendingPool's address).
    /// @param defaultFeeBps_ The fee, in basis points, of every reserve without a fee of its own.
    /// @dev The pool is cached now if it is already registered; otherwise call `syncPool()` once it is.
    function initialize(address registry_, uint16 defaultFeeBps_) external initializer {
        __StrataModule_init(registry_);
        __ReentrancyGuardTransient_init();
        require(defaultFeeBps_ <= MAX_FLASH_FEE_BPS, FlashLoanFeeTooHigh(defaultFeeBps_, MAX_FLASH_FEE_BPS));
        FlashLoanModuleStorage storage $ = _getStorage();
        $.defaultFeeBps = defaultFeeBps_;
        emit DefaultFlashFeeSet(0, defaultFeeBps_);
        address pool_ = _registry().moduleOf(ModuleIds.LENDING_POOL);
        if (pool_ != address(0)) {
            $.pool = pool_;
            emit PoolSynced(address(0), pool_);
        }
    }

    /* FLASH LOANS */

    /// @inheritdoc IERC3156FlashLender
    function flashLoan(IERC3156FlashBorrower receiver, address token, uint256 amount, bytes calldata data)
        external
        nonReentrant
        whenModuleNotPaused
        returns (bool)
    {
        FlashLoanModuleStorage storage $ = _getStorage();
        address pool_ = $.pool;
        require(pool_ != address(0), FlashLoanPoolNotSynced());
        uint256 fee = _flashFee($, token, amount);

        // The pool checks the reserve (listed, active, FLASH not paused) and the amount against its liquidity.
        ILendingPoolModules(pool_).flashLoanLend(token, address(receiver), amount);
        bytes32 returned = receiver.onFlashLoan(msg.sender, token, amount, fee, data);
        require(returned == CALLBACK_SUCCESS, FlashLoanCallbackFailed(address(receiver), returned));
        // ERC-3156: the receiver approved the lender, i.e. this module; the funds go straight to the pool.
        SafeERC20.safeTransferFrom(IERC20(token), address(receiver), pool_, amount + fee);
        ILendingPoolModules(pool_).flashLoanSettle(token, amount, fee);

        emit FlashLoanExecuted(address(receiver), msg.sender, token, amount, fee);
        return true;
    }

    /// @inheritdoc IFlashLoanModule
    function flashLoanMulti(
        address receiver,
        address[] calldata tokens,
        uint256[] calldata amounts,
        bytes calldata data
    ) external nonReentrant whenModuleNotPaused returns (bool) {
        uint256 n = tokens.length;
        require(n != 0 && n == amounts.length, FlashLoanInvalidBatch(n, amounts.length));
        address pool_ = _getStorage().pool;
        require(pool_ != address(0), FlashLoanPoolNotSynced());

        uint256[] memory fees = _lendAll(pool_, receiver, tokens, amounts);
        bytes32 returned = IMultiFlashBorrower(receiver).onMultiFlashLoan(msg.sender, tokens, amounts, fees, data);
        require(returned == MULTI_CALLBACK_SUCCESS, FlashLoanCallbackFailed(receiver, returned));
        _settleAll(pool_, receiver, tokens, amounts, fees);
        return true;
    }

    /* ADMIN */

    /// @inheritdoc IFlashLoanModule
    function setFlashFee(address asset, uint16 feeBps) external onlyGovernance {
        require(feeBps <= MAX_FLASH_FEE_BPS, FlashLoanFeeTooHigh(feeBps, MAX_FLASH_FEE_BPS));
        FlashLoanModuleStorage storage $ = _getStorage();
        ReserveFlashConfig storage config = $.reserves[asset];
        uint16 oldFeeBps = config.hasOwnFee ? config.feeBps : $.defaultFeeBps;
        config.feeBps = feeBps;
        config.hasOwnFee = true;
        _markConfigured($, asset);
        emit FlashFeeSet(asset, oldFeeBps, feeBps);
    }

    /// @inheritdoc IFlashLoanModule
    function clearFlashFee(address asset) external onlyGovernance {
        FlashLoanModuleStorage storage $ = _getStorage();
        ReserveFlashConfig storage config = $.reserves[asset];
        uint16 oldFeeBps = config.hasOwnFee ? config.feeBps : $.defaultFeeBps;
        config.feeBps = 0;
        config.hasOwnFee = false;
        emit FlashFeeCleared(asset, oldFeeBps, $.defaultFeeBps);
    }

    /// @inheritdoc IFlashLoanModule
    function setDefaultFlashFee(uint16 feeBps) external onlyGovernance {
        require(feeBps <= MAX_FLASH_FEE_BPS, FlashLoanFeeTooHigh(feeBps, MAX_FLASH_FEE_BPS));
        FlashLoanModuleStorage storage $ = _getStorage();
        uint16 oldFeeBps = $.defaultFeeBps;
        $.defaultFeeBps = feeBps;
        emit DefaultFlashFeeSet(oldFeeBps, feeBps);
    }

    /// @inheritdoc IFlashLoanModule
    function setFlashLoanEnabled(address asset, bool enabled) external onlyGovernance {
        FlashLoanModuleStorage storage $ = _getStorage();
        ReserveFlashConfig storage config = $.reserves[asset];
        bool oldEnabled = !config.disabled;
        config.disabled = !enabled;
        _markConfigured($, asset);
        emit FlashLoanEnabledSet(asset, oldEnabled, enabled);
    }

    /// @inheritdoc IFlashLoanModule
    function syncPool() external {
        address newPool = _registry().requireModule(ModuleIds.LENDING_POOL);
        FlashLoanModuleStorage storage $ = _getStorage();
        address oldPool = $.pool;
        $.pool = newPool;
        emit PoolSynced(oldPool, newPool);
    }

    /* VIEW */

    /// @inheritdoc IERC3156FlashLender
    function maxFlashLoan(address token) external view returns (uint256) {
        FlashLoanModuleStorage storage $ = _getStorage();
        if (!_isSupported($, token)) return 0;
        return ILendingPoolModules($.pool).availableLiquidity(token);
    }

    /// @inheritdoc IERC3156FlashLender
    function flashFee(address token, uint256 amount) external view returns (uint256) {
        FlashLoanModuleStorage storage $ = _getStorage();
        require(_isSupported($, token), FlashLoanUnsupportedToken(token));
        return _flashFee($, token, amount);
    }

    /// @inheritdoc IStrataModule
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc IFlashLoanModule
    function pool() external view returns (address) {
        return _getStorage().pool;
    }

    /// @inheritdoc IFlashLoanModule
    function defaultFlashFeeBps() external view returns (uint16) {
        return _getStorage().defaultFeeBps;
    }

    /// @inheritdoc IFlashLoanModule
    function flashFeeBps(address asset) external view returns (uint16) {
        FlashLoanModuleStorage storage $ = _getStorage();
        ReserveFlashConfig memory config = _reserveConfig($, asset);
        return config.hasOwnFee ? config.feeBps : $.defaultFeeBps;
    }

    /// @inheritdoc IFlashLoanModule
    function getReserveFlashConfig(address asset) external view returns (bool enabled, uint16 feeBps, bool hasOwnFee) {
        FlashLoanModuleStorage storage $ = _getStorage();
        ReserveFlashConfig memory config = _reserveConfig($, asset);
        return (!config.disabled, config.hasOwnFee ? config.feeBps : $.defaultFeeBps, config.hasOwnFee);
    }

    /* INTERNAL */

    function _lendAll(address pool_, address receiver, address[] calldata tokens, uint256[] calldata amounts)
        private
        returns (uint256[] memory fees)
    {
        FlashLoanModuleStorage storage $ = _getStorage();
        uint256 n = tokens.length;
        fees = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            address token = tokens[i];
            // One loan per reserve, so that each settlement (a per-reserve balance check in the pool) matches
            // exactly one lend. Quadratic, but a batch is a handful of reserves at most.
            for (uint256 j; j < i; ++j) {
                require(tokens[j] != token, FlashLoanDuplicateToken(token));
            }
            fees[i] = _flashFee($, token, amounts[i]);
            ILendingPoolModules(pool_).flashLoanLend(token, receiver, amounts[i]);
        }
    }

    function _settleAll(
        address pool_,
        address receiver,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256[] memory fees
    ) private {
        uint256 n = tokens.length;
        for (uint256 i; i < n; ++i) {
            address token = tokens[i];
            uint256 amount = amounts[i];
            uint256 fee = fees[i];
            SafeERC20.safeTransferFrom(IERC20(token), receiver, pool_, amount + fee);
            ILendingPoolModules(pool_).flashLoanSettle(token, amount, fee);
            emit FlashLoanExecuted(receiver, msg.sender, token, amount, fee);
        }
    }

    /// @dev Checks the module's own switch and returns the fee; the pool checks everything else when lending.
    function _flashFee(FlashLoanModuleStorage storage $, address token, uint256 amount)
        private
        view
        returns (uint256)
    {
        ReserveFlashConfig memory config = _reserveConfig($, token);
        require(!config.disabled, FlashLoanUnsupportedToken(token));
        uint256 feeBps = config.hasOwnFee ? config.feeBps : $.defaultFeeBps;
        if (feeBps == 0) return 0;
        // Rounded up, in the protocol's favour: a loan of a few wei never goes free under a non-zero fee.
        // Below 2**128 (more than any pool can hold) the product cannot overflow: skip the 512-bit path.
        if (amount <= type(uint128).max) {
            unchecked {
                return (amount * feeBps + (BPS - 1)) / BPS;
            }
        }
        return Math.mulDiv(amount, feeBps, BPS, Math.Rounding.Ceil);
    }

    function _isSupported(FlashLoanModuleStorage storage $, address token) private view returns (bool) {
        address pool_ = $.pool;
        return pool_ != address(0) && !modulePaused() && !_reserveConfig($, token).disabled
            && ILendingPoolModules(pool_).isFlashLoanAllowed(token);
    }

    function _reserveConfig(FlashLoanModuleStorage storage $, address asset)
        private
        view
        returns (ReserveFlashConfig memory config)
    {
        if ($.configuredFilter & _filterBit(asset) != 0) config = $.reserves[asset];
    }

    function _markConfigured(FlashLoanModuleStorage storage $, address asset) private {
        $.configuredFilter |= uint80(_filterBit(asset));
    }

    function _filterBit(address asset) private pure returns (uint256) {
        return 1 << (uint160(asset) % FILTER_BITS);
    }

    function _getStorage() private pure returns (FlashLoanModuleStorage storage $) {
        assembly ("memory-safe") {
            $.slot := FLASH_LOAN_MODULE_STORAGE_LOCATION
        }
    }
}
