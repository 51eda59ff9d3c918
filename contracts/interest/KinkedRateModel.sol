// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IInterestRateModel} from "../../interfaces/IInterestRateModel.sol";
import {IKinkedRateModel} from "../../interfaces/IKinkedRateModel.sol";

/// @title KinkedRateModel
/// @notice Stateless kinked (jump) borrow-rate curve; see IKinkedRateModel for the formula.
/// @dev Not behind a proxy: immutables are the point here, a new curve is a new deployment.
contract KinkedRateModel is IKinkedRateModel {
    /* CONSTANTS / IMMUTABLES */

    uint256 private constant WAD = 1e18;
    uint256 private constant SECONDS_PER_YEAR = 365 days;

    /// @inheritdoc IKinkedRateModel
    uint256 public constant MAX_RATE_PER_YEAR = 100e18;

    uint256 private immutable BASE_RATE_PER_YEAR;
    uint256 private immutable SLOPE1_PER_YEAR;
    uint256 private immutable OPTIMAL_UTILIZATION;
    uint256 private immutable SLOPE2_PER_YEAR;

    /* CONSTRUCTOR */

    /// @param baseRatePerYear_ Yearly rate at zero utilisation, WAD.
    /// @param slope1PerYear_ Yearly rate added from zero to optimal utilisation, WAD.
    /// @param optimalUtilization_ Kink, WAD, strictly between 0 and 1e18.
    /// @param slope2PerYear_ Yearly rate added from optimal to full utilisation, WAD.
    constructor(uint256 baseRatePerYear_, uint256 slope1PerYear_, uint256 optimalUtilization_, uint256 slope2PerYear_) {
        require(
            optimalUtilization_ != 0 && optimalUtilization_ < WAD,
            KinkedRateModelInvalidOptimalUtilization(optimalUtilization_)
        );
        // Bounding each term first keeps the sum from overflowing before it is compared.
        require(
            baseRatePerYear_ <= MAX_RATE_PER_YEAR && slope1PerYear_ <= MAX_RATE_PER_YEAR
                && slope2PerYear_ <= MAX_RATE_PER_YEAR
                && baseRatePerYear_ + slope1PerYear_ + slope2PerYear_ <= MAX_RATE_PER_YEAR,
            KinkedRateModelRateTooHigh(_saturatingSum(baseRatePerYear_, slope1PerYear_, slope2PerYear_), MAX_RATE_PER_YEAR)
        );
        BASE_RATE_PER_YEAR = baseRatePerYear_;
        SLOPE1_PER_YEAR = slope1PerYear_;
        OPTIMAL_UTILIZATION = optimalUtilization_;
        SLOPE2_PER_YEAR = slope2PerYear_;
    }

    /* RATES */

    /// @inheritdoc IInterestRateModel
    function utilization(uint256 availableLiquidity, uint256 totalDebt) public pure returns (uint256) {
        return _utilization(availableLiquidity, totalDebt);
    }

    /// @inheritdoc IInterestRateModel
    function getBorrowRate(uint256 availableLiquidity, uint256 totalDebt) external view returns (uint256) {
        // Ceil: borrowers never pay less than the configured curve (protocol's favour), and 0 stays 0.
        return Math.ceilDiv(_ratePerYear(_utilization(availableLiquidity, totalDebt)), SECONDS_PER_YEAR);
    }

    /// @inheritdoc IKinkedRateModel
    function getBorrowRatePerYear(uint256 availableLiquidity, uint256 totalDebt) external view returns (uint256) {
        return _ratePerYear(_utilization(availableLiquidity, totalDebt));
    }

    /* VIEW */

    /// @inheritdoc IKinkedRateModel
    function baseRatePerYear() external view returns (uint256) {
        return BASE_RATE_PER_YEAR;
    }

    /// @inheritdoc IKinkedRateModel
    function slope1PerYear() external view returns (uint256) {
        return SLOPE1_PER_YEAR;
    }

    /// @inheritdoc IKinkedRateModel
    function optimalUtilization() external view returns (uint256) {
        return OPTIMAL_UTILIZATION;
    }

    /// @inheritdoc IKinkedRateModel
    function slope2PerYear() external view returns (uint256) {
        return SLOPE2_PER_YEAR;
    }

    /* INTERNAL */

    function _utilization(uint256 availableLiquidity, uint256 totalDebt) private pure returns (uint256 u) {
        if (totalDebt == 0) return 0;
        // Floor: it is a reported ratio and the rate rounds up on its own; the cap is defensive only
        // (debt / (liquidity + debt) cannot exceed 1 with unsigned inputs).
        u = Math.mulDiv(totalDebt, WAD, availableLiquidity + totalDebt);
        if (u > WAD) u = WAD;
    }

    function _ratePerYear(uint256 u) private view returns (uint256) {
        uint256 optimal = OPTIMAL_UTILIZATION;
        if (u <= optimal) {
            // Ceil: the protocol's favour (borrowers pay at least the curve).
            return BASE_RATE_PER_YEAR + Math.mulDiv(SLOPE1_PER_YEAR, u, optimal, Math.Rounding.Ceil);
        }
        // Ceil for the same reason; optimal < WAD, so the divisor is never zero.
        return BASE_RATE_PER_YEAR + SLOPE1_PER_YEAR
            + Math.mulDiv(SLOPE2_PER_YEAR, u - optimal, WAD - optimal, Math.Rounding.Ceil);
    }

    function _saturatingSum(uint256 a, uint256 b, uint256 c) private pure returns (uint256) {
        (bool ok1, uint256 ab) = Math.tryAdd(a, b);
        (bool ok2, uint256 abc) = Math.tryAdd(ab, c);
        return ok1 && ok2 ? abc : type(uint256).max;
    }
}
