"""Reading a liquidation's inputs from the chain and what actually moved, for the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.unit.liquidation.market import MAX_UINT256, Market
from tests.unit.liquidation.model import Expected, expected_liquidation, v2_bonus


def engine_params(engine: Any) -> dict[str, int]:
    return {
        "close_factor": int(engine.closeFactor()),
        "full_liquidation_hf": int(engine.fullLiquidationHealthFactor()),
        "dust_value": int(engine.dustDebtValue()),
        "fee_share": int(engine.protocolFeeShare()),
    }


def expect(
    market: Market,
    borrower: Any,
    debt: str,
    collateral: str,
    requested: int = MAX_UINT256,
    *,
    auction: tuple[int, int] | None = None,
) -> Expected:
    """The Python model fed with the chain's current state (``auction`` = (start, floor) for version 2)."""
    pool = market.pool
    cap = int(pool.getLiquidationParams(market[collateral].address)[1])
    hf = market.health_factor(borrower)
    bonus = cap if auction is None else v2_bonus(hf, cap, *auction)
    return expected_liquidation(
        debt=market.debt_of(borrower, debt),
        collateral=market.supplied_of(borrower, collateral),
        health_factor=hf,
        debt_price=market.price(debt),
        collateral_price=market.price(collateral),
        debt_decimals=market[debt].decimals,
        collateral_decimals=market[collateral].decimals,
        bonus=bonus,
        requested=requested,
        **engine_params(market.engine),
    )


@dataclass(frozen=True)
class Moved:
    """Token balance changes of the liquidator around one liquidation, and the receipt."""

    debt_spent: int
    collateral_received: int
    receipt: Any


def liquidate_and_measure(
    market: Market, liquidator: Any, borrower: Any, debt: str, collateral: str, requested: int = MAX_UINT256
) -> Moved:
    debt_token, collateral_token = market[debt].token, market[collateral].token
    debt_before = int(debt_token.balanceOf(liquidator))
    collateral_before = int(collateral_token.balanceOf(liquidator))
    receipt = market.engine.liquidate(
        borrower, market[debt].address, market[collateral].address, requested, sender=liquidator
    )
    return Moved(
        debt_spent=debt_before - int(debt_token.balanceOf(liquidator)),
        collateral_received=int(collateral_token.balanceOf(liquidator)) - collateral_before,
        receipt=receipt,
    )


def pool_liquidation_event(market: Market, receipt: Any) -> Any:
    events = receipt.decode_logs(market.pool.LiquidationExecuted)
    assert len(events) == 1
    return events[0]


def assert_call_reverts(method: Any, *args: Any, error: Any, sender: Any, **expected_inputs: Any) -> None:
    """Asserts that ``method(*args)`` reverts with ``error`` (an error class of any contract, e.g.
    ``pool.LendingPoolActionPaused``) and the given inputs, through a raw eth_call.

    For an error raised by an inner contract (the pool, a token) under the engine, ``ape.reverts`` on a
    transaction makes ape trace the whole transaction to find the reverting contract, then compares error
    classes by identity, which fails when it decoded the error with another instance of the same ABI; ape's
    message for an undecoded error renders printable bytes as text. The raw revert data is checked here.
    """
    from eth_abi import decode
    from eth_utils import keccak, to_hex
    from web3.exceptions import ContractCustomError, ContractLogicError

    from tests.utils.revert_data import revert_bytes

    abi = error.abi
    web3 = method.contract.provider.web3
    call = {"from": sender.address, "to": method.contract.address, "data": to_hex(method.encode_input(*args))}
    try:
        web3.eth.call(call)
    except (ContractCustomError, ContractLogicError) as err:
        data = revert_bytes(err.data)
    else:
        raise AssertionError(f"expected a revert with {abi.selector}, the call succeeded")
    assert data[:4] == keccak(text=abi.selector)[:4], f"expected {abi.selector}, got 0x{data.hex()}"
    values = decode([i.canonical_type for i in abi.inputs], data[4:])
    inputs = {i.name: v for i, v in zip(abi.inputs, values)}
    for name, value in expected_inputs.items():
        got = inputs[name]
        if isinstance(value, str) and isinstance(got, str):
            assert got.lower() == value.lower(), f"{abi.name}.{name}: {got} != {value}"
        else:
            assert got == value, f"{abi.name}.{name}: {got} != {value}"
