"""The liquidation rule written independently in Python, in exact integers, to check the engine to the wei."""

from __future__ import annotations

from dataclasses import dataclass

WAD = 10**18


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class Expected:
    max_repay: int
    repay: int
    seize: int
    fee: int
    exhausted: bool

    @property
    def to_liquidator(self) -> int:
        return self.seize - self.fee


def v2_bonus(health_factor: int, cap: int, start: int, floor: int) -> int:
    """Dutch-auction bonus: ``start`` just below hf = 1, ``cap`` at and below ``floor``, linear between, down."""
    if start >= cap or health_factor <= floor:
        return cap
    if health_factor >= WAD:
        return start
    return start + (cap - start) * (WAD - health_factor) // (WAD - floor)


def expected_liquidation(
    *,
    debt: int,
    collateral: int,
    health_factor: int,
    debt_price: int,
    collateral_price: int,
    debt_decimals: int,
    collateral_decimals: int,
    bonus: int,
    requested: int,
    close_factor: int,
    full_liquidation_hf: int,
    dust_value: int,
    fee_share: int,
) -> Expected:
    """What the engine must do, from first principles.

    Close factor: all of the debt when hf < full_liquidation_hf or its value < dust, else ⌈debt × cf⌉.
    Seizure: ⌊repay × debtPrice/10^dd × (1 + bonus) ÷ (collateralPrice/10^cd)⌋, as one exact rational.
    Cap: if it exceeds the collateral, seize all of it and repay ⌈its exact price⌉.
    Fee: ⌈seize × bonus/(1 + bonus) × share⌉.
    """
    debt_value = ceil_div(debt * debt_price, 10**debt_decimals)
    max_repay = debt
    if health_factor >= full_liquidation_hf and debt_value >= dust_value:
        max_repay = ceil_div(debt * close_factor, WAD)
    repay = min(requested, max_repay)

    # collateral base units per debt base unit, bonus included, as an exact fraction
    num = debt_price * (WAD + bonus) * 10**collateral_decimals
    den = collateral_price * WAD * 10**debt_decimals
    seize = repay * num // den
    exhausted = seize >= collateral
    if seize > collateral:
        seize = collateral
        repay = ceil_div(collateral * den, num)
    fee = ceil_div(seize * bonus * fee_share, (WAD + bonus) * WAD)
    return Expected(max_repay=max_repay, repay=repay, seize=seize, fee=fee, exhausted=exhausted)
