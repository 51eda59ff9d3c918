import ape
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WAD = 10**18
SECONDS_PER_YEAR = 365 * 86_400

# (base, slope1, optimal, slope2) per year, WAD. Aave-like stablecoin and volatile curves plus odd ones
# chosen to make every division inexact.
CURVES = {
    "stable": (0, 4 * 10**16, 90 * 10**16, 60 * 10**16),
    "volatile": (10**16, 7 * 10**16, 45 * 10**16, 300 * 10**16),
    "odd": (123_456_789_012_345, 33_333_333_333_333_333, 777_777_777_777_777_777, 1_999_999_999_999_999_999),
    "tiny_optimal": (0, 10**17, 1, 10**18),
    "huge_optimal": (5 * 10**15, 10**17, WAD - 1, 99 * WAD),
}


# ---------------------------------------------------------------- the Python model of the same formula


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def py_utilization(liquidity: int, debt: int) -> int:
    if debt == 0:
        return 0
    return min(debt * WAD // (liquidity + debt), WAD)


def py_rate_per_year(curve, u: int) -> int:
    base, slope1, optimal, slope2 = curve
    if u <= optimal:
        return base + _ceil_div(slope1 * u, optimal)
    return base + slope1 + _ceil_div(slope2 * (u - optimal), WAD - optimal)


def py_rate_per_second(curve, u: int) -> int:
    return _ceil_div(py_rate_per_year(curve, u), SECONDS_PER_YEAR)


@pytest.fixture(scope="module")
def models(create_model):
    return {name: create_model(*curve) for name, curve in CURVES.items()}


HYPOTHESIS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CURVE_NAMES = list(CURVES)
utilizations = st.one_of(
    st.integers(0, WAD),
    st.sampled_from([0, 1, WAD - 1, WAD]),
    # Dense around every kink.
    st.sampled_from([c[2] + d for c in CURVES.values() for d in (-1, 0, 1) if 0 <= c[2] + d <= WAD]),
)
amounts = st.one_of(st.integers(0, 10**40), st.integers(0, 10**9))


# ---------------------------------------------------------------- parameters


@pytest.mark.parametrize("name", CURVE_NAMES)
def test_constructor__valid_params__exposed_as_views(models, name):
    base, slope1, optimal, slope2 = CURVES[name]
    model = models[name]
    assert model.baseRatePerYear() == base
    assert model.slope1PerYear() == slope1
    assert model.optimalUtilization() == optimal
    assert model.slope2PerYear() == slope2


@pytest.mark.parametrize("optimal", [0, WAD, WAD + 1, 2**256 - 1])
def test_constructor__optimal_outside_open_unit_interval__reverts(project, deployer, create_model, optimal):
    with ape.reverts(project.KinkedRateModel.KinkedRateModelInvalidOptimalUtilization, optimalUtilization=optimal):
        create_model(0, 4 * 10**16, optimal, 60 * 10**16)


@pytest.mark.parametrize(
    "base,slope1,slope2,reported",
    [
        (100 * WAD + 1, 0, 0, 100 * WAD + 1),
        (0, 0, 100 * WAD + 1, 100 * WAD + 1),
        (50 * WAD, 30 * WAD, 20 * WAD + 1, 100 * WAD + 1),
        (2**256 - 1, 2**256 - 1, 0, 2**256 - 1),  # would overflow a naive sum
    ],
)
def test_constructor__max_rate_above_limit__reverts(project, create_model, base, slope1, slope2, reported):
    with ape.reverts(
        project.KinkedRateModel.KinkedRateModelRateTooHigh, maxRatePerYear=reported, limit=100 * WAD
    ):
        create_model(base, slope1, WAD // 2, slope2)


def test_constructor__max_rate_at_limit__accepted(create_model):
    model = create_model(50 * WAD, 30 * WAD, WAD // 2, 20 * WAD)
    assert model.MAX_RATE_PER_YEAR() == 100 * WAD
    assert model.getBorrowRatePerYear(0, 1) == 100 * WAD


# ---------------------------------------------------------------- utilisation


def test_utilization__empty_reserve__zero(models):
    assert models["stable"].utilization(0, 0) == 0


def test_utilization__no_debt__zero(models):
    assert models["stable"].utilization(10**24, 0) == 0


def test_utilization__all_lent__one(models):
    assert models["stable"].utilization(0, 10**24) == WAD


def test_utilization__huge_amounts__no_overflow(models):
    # debt * 1e18 overflows 256 bits; mulDiv must not.
    big = 2**200
    assert models["stable"].utilization(big, big) == WAD // 2


@given(liquidity=amounts, debt=amounts)
@HYPOTHESIS
def test_utilization__any_amounts__matches_python(models, liquidity, debt):
    assert models["stable"].utilization(liquidity, debt) == py_utilization(liquidity, debt)


# ---------------------------------------------------------------- rate: boundaries


@pytest.mark.parametrize("name", CURVE_NAMES)
def test_borrow_rate__zero_utilization__base_rate(models, name):
    base = CURVES[name][0]
    assert models[name].getBorrowRatePerYear(10**18, 0) == base
    assert models[name].getBorrowRate(10**18, 0) == -(-base // SECONDS_PER_YEAR)
    assert models[name].getBorrowRate(0, 0) == -(-base // SECONDS_PER_YEAR)


@pytest.mark.parametrize("name", CURVE_NAMES)
def test_borrow_rate__at_optimal__base_plus_slope1(models, name):
    base, slope1, optimal, _ = CURVES[name]
    # liquidity = 1 - optimal, debt = optimal: utilisation is exactly the kink.
    assert models[name].utilization(WAD - optimal, optimal) == optimal
    assert models[name].getBorrowRatePerYear(WAD - optimal, optimal) == base + slope1


@pytest.mark.parametrize("name", CURVE_NAMES)
def test_borrow_rate__full_utilization__base_plus_both_slopes(models, name):
    base, slope1, _, slope2 = CURVES[name]
    assert models[name].getBorrowRatePerYear(0, 10**30) == base + slope1 + slope2
    assert models[name].getBorrowRate(0, 10**30) == -(-(base + slope1 + slope2) // SECONDS_PER_YEAR)


def test_borrow_rate__stable_curve__known_values(models):
    model = models["stable"]
    # 45% utilisation: half of slope1 (2%); 95%: 4% + 60% * 5/10 = 34%.
    assert model.getBorrowRatePerYear(55, 45) == 2 * 10**16
    assert model.getBorrowRatePerYear(5, 95) == 34 * 10**16
    assert model.getBorrowRate(55, 45) == -(-2 * 10**16 // SECONDS_PER_YEAR)


def test_borrow_rate__zero_curve__zero_everywhere(create_model):
    model = create_model(0, 0, WAD // 2, 0)
    assert model.getBorrowRate(0, 10**18) == 0
    assert model.getBorrowRate(10**18, 10**18) == 0


def test_borrow_rate__rounding__never_below_exact_curve(models):
    # "odd" makes every division inexact: the contract rounds up, so it never undercharges.
    from fractions import Fraction

    base, slope1, optimal, slope2 = CURVES["odd"]
    for u in (1, optimal // 3, optimal, optimal + 1, (optimal + WAD) // 2, WAD):
        exact = base + (Fraction(slope1 * u, optimal) if u <= optimal else slope1 + Fraction(slope2 * (u - optimal), WAD - optimal))
        got = models["odd"].getBorrowRatePerYear(WAD - u, u)
        assert exact <= got < exact + 1
        assert Fraction(got, SECONDS_PER_YEAR) <= models["odd"].getBorrowRate(WAD - u, u)


# ---------------------------------------------------------------- rate: Python model, exact to the wei


@pytest.mark.parametrize("name", CURVE_NAMES)
@given(u=utilizations)
@HYPOTHESIS
def test_borrow_rate__generated_utilization__matches_python_exactly(models, name, u):
    curve = CURVES[name]
    model = models[name]
    liquidity, debt = WAD - u, u  # utilisation == u exactly (0 when u == 0)
    assert model.utilization(liquidity, debt) == u
    assert model.getBorrowRatePerYear(liquidity, debt) == py_rate_per_year(curve, u)
    assert model.getBorrowRate(liquidity, debt) == py_rate_per_second(curve, u)


@pytest.mark.parametrize("name", ["volatile", "odd"])
@given(liquidity=amounts, debt=amounts)
@HYPOTHESIS
def test_borrow_rate__generated_amounts__matches_python_exactly(models, name, liquidity, debt):
    curve = CURVES[name]
    u = py_utilization(liquidity, debt)
    assert models[name].getBorrowRate(liquidity, debt) == py_rate_per_second(curve, u)


@pytest.mark.parametrize("name", CURVE_NAMES)
@given(a=st.integers(0, WAD), b=st.integers(0, WAD))
@HYPOTHESIS
def test_borrow_rate__utilization_grows__rate_never_falls(models, name, a, b):
    lo, hi = sorted((a, b))
    model = models[name]
    assert model.getBorrowRatePerYear(WAD - lo, lo) <= model.getBorrowRatePerYear(WAD - hi, hi)
