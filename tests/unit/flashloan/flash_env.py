"""Fixtures shared by the flash-loan unit and adversarial suites.

``flash_env`` deploys a registry, a price oracle with mock feeds, a kinked rate model, the LendingPool, three
mock tokens (6, 8 and 18 decimals) listed as reserves, and the FlashLoanModule behind its proxy, registered under
FLASH_LOAN_MODULE. Suppliers fill every reserve and a borrower has open debt, so indices and rates are non-trivial.

Both conftests star-import this module. It is module-scoped: each test file gets a fresh protocol, and ape's
per-test snapshot isolates the tests inside a file.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import ape
import pytest
from eth_abi import decode
from eth_utils import keccak

from tests.utils.actors import actor

DEFAULT_FEE_BPS = 9
TOKEN_SPECS = (("USD Coin", "USDC", 6, 1), ("Wrapped Bitcoin", "WBTC", 8, 60_000), ("Wrapped Ether", "WETH", 18, 3_000))
SEED_WHOLE = 1_000_000  # whole tokens each supplier puts in each reserve
ONE_YEAR = 365 * 24 * 3600

# LendingPool.Action.FLASH
ACTION_FLASH = 4


def module_id(name: str) -> bytes:
    return name.encode("ascii").ljust(32, b"\0")


POOL_ID = module_id("LENDING_POOL")
ORACLE_ID = module_id("PRICE_ORACLE")
FLASH_ID = module_id("FLASH_LOAN_MODULE")


@dataclass
class FlashEnv:
    registry: Any
    oracle: Any
    rate_model: Any
    pool: Any
    module: Any
    module_impl: Any
    tokens: dict[str, Any] = field(default_factory=dict)

    @property
    def usdc(self) -> Any:
        return self.tokens["USDC"]

    @property
    def wbtc(self) -> Any:
        return self.tokens["WBTC"]

    @property
    def weth(self) -> Any:
        return self.tokens["WETH"]


def deploy_proxy(project: Any, deployer: Any, contract: Any, *init_args: Any) -> tuple[Any, Any]:
    """Deploys ``contract`` behind a ModuleProxy initialised with ``init_args``; returns (proxied, implementation)."""
    impl = deployer.deploy(contract)
    proxy = deployer.deploy(project.ModuleProxy, impl, impl.initialize.encode_input(*init_args))
    return contract.at(proxy.address), impl


def reserve_config(ltv: int = 7_500, threshold: int = 8_000) -> tuple:
    # (ltv, liquidationThreshold, liquidationBonus, reserveFactor, supplyCap, borrowCap, borrowingEnabled)
    return (ltv, threshold, 500, 1_000, 0, 0, True)


def build_flash_env(project: Any, chain: Any, governance: Any, guardian: Any, supplier: Any, borrower: Any) -> FlashEnv:
    registry, _ = deploy_proxy(project, governance, project.ModuleRegistry, governance, guardian)
    oracle, _ = deploy_proxy(project, governance, project.PriceOracle, registry)
    registry.setModule(ORACLE_ID, oracle, sender=governance)
    rate_model = governance.deploy(project.KinkedRateModel, int(0.02e18), int(0.1e18), int(0.8e18), int(1e18))
    pool, _ = deploy_proxy(project, governance, project.LendingPool, registry)
    registry.setModule(POOL_ID, pool, sender=governance)
    module, module_impl = deploy_proxy(project, governance, project.FlashLoanModule, registry, DEFAULT_FEE_BPS)
    registry.setModule(FLASH_ID, module, sender=governance)
    pool.syncModules(sender=governance)

    env = FlashEnv(registry, oracle, rate_model, pool, module, module_impl)
    for name, symbol, decimals, price in TOKEN_SPECS:
        token = governance.deploy(project.MockERC20, name, symbol, decimals)
        feed = governance.deploy(project.MockAggregatorV3, 8, price * 10**8)
        oracle.setFeed(token, feed, 10 * ONE_YEAR, 1, 10**30, sender=governance)
        pool.listReserve(token, reserve_config(), rate_model, sender=governance)
        env.tokens[symbol] = token

    for token in env.tokens.values():
        amount = SEED_WHOLE * 10 ** token.decimals()
        token.mint(supplier, amount, sender=supplier)
        token.approve(pool, amount, sender=supplier)
        pool.supply(token, amount, supplier, sender=supplier)

    # Open debt so that rates and indices move: WETH collateral, USDC and WBTC debt.
    collateral = 1_000 * 10**18
    env.weth.mint(borrower, collateral, sender=borrower)
    env.weth.approve(pool, collateral, sender=borrower)
    pool.supply(env.weth, collateral, borrower, sender=borrower)
    pool.borrow(env.usdc, 500_000 * 10**6, borrower, sender=borrower)
    pool.borrow(env.wbtc, 10 * 10**8, borrower, sender=borrower)
    chain.pending_timestamp += 30 * 24 * 3600
    chain.mine()
    return env


@pytest.fixture(scope="session", autouse=True)
def strata():
    """Overrides tests/conftest.py's full-protocol deployment for the flash-loan folders: they build their own
    protocol (``flash_env``, per test module) and must not depend on every other module being deployable."""
    return None


@pytest.fixture(scope="session")
def governance(deployer):
    """Governance of ``flash_env``'s own registry (the deployer: there is no Timelock in this environment)."""
    return deployer


@pytest.fixture(scope="session")
def flash_borrower(accounts):
    """The EOA that starts flash loans (the role table's ``second_borrower``)."""
    return actor(accounts, "second_borrower")


@pytest.fixture(scope="module")
def flash_env(project, chain, governance, guardian, supplier, borrower, attacker, outsider, flash_borrower) -> FlashEnv:
    # Every role fixture is instantiated here, before ape's first per-test snapshot of the module, so that no
    # test rebases the isolation by creating a session fixture late.
    return build_flash_env(project, chain, governance, guardian, supplier, borrower)


@pytest.fixture(scope="module")
def pool(flash_env):
    return flash_env.pool


@pytest.fixture(scope="module")
def flash_module(flash_env):
    return flash_env.module


@pytest.fixture(scope="module")
def usdc(flash_env):
    return flash_env.usdc


@pytest.fixture(scope="module")
def wbtc(flash_env):
    return flash_env.wbtc


@pytest.fixture(scope="module")
def weth(flash_env):
    return flash_env.weth


@pytest.fixture(scope="module")
def tokens(flash_env):
    return list(flash_env.tokens.values())


@pytest.fixture(scope="module")
def plain_borrower(project, governance, flash_module):
    """A standard ERC-3156 borrower (knows nothing of Strata), funded to pay fees."""
    return governance.deploy(project.FlashBorrowerMock, flash_module)


@pytest.fixture(scope="module")
def multi_borrower(project, governance, flash_module):
    return governance.deploy(project.MultiFlashBorrowerMock, flash_module)


@contextmanager
def reverts_with(error: Any, **inputs: Any) -> Iterator[Any]:
    """``ape.reverts`` that matches a custom error by its ABI (selector and inputs), wherever it was raised
    (``error=None``: any revert).

    ``ape.reverts(contract.Error)`` also requires the error to come from that very contract instance, which fails
    when the revert bubbles up through another contract (a borrower calling the module, the module calling the
    pool or a token). And on Anvil, ape-foundry replays and prints the whole trace of every reverted call to
    attribute nested errors, 5-60 s per revert on these paths; inside this block its revert handler is swapped
    for one that keeps the raw revert data, which is decoded here against ``error``'s ABI instead.
    """
    provider = ape.chain.provider
    fast = type(provider).__module__.startswith("ape_foundry")
    if fast:
        provider._handle_execution_reverted = _raw_revert_handler  # instance attribute shadows the method
    try:
        with ape.reverts() as info:
            yield info
    finally:
        if fast:
            del provider._handle_execution_reverted
    raised = info.value
    if error is None:  # any revert
        return
    name = error.__name__
    if type(raised).__name__ == name:
        actual = dict(getattr(raised, "inputs", {}) or {})
    else:
        actual = _decode_raw_error(raised, error.abi)
        assert actual is not None, f"expected {name}, got {type(raised).__name__}: {raised}"
    for key, expected in inputs.items():
        assert key in actual, f"{name} has no input {key!r} (inputs: {actual})"
        assert _normalise(actual[key]) == _normalise(expected), (
            f"{name}.{key}: expected {expected!r}, got {actual[key]!r}"
        )


def _raw_revert_handler(exception: Exception, revert_message: str | None = None, **kwargs: Any) -> Any:
    from ape.exceptions import ContractLogicError

    message = revert_message or "Transaction failed."
    return ContractLogicError(
        base_err=exception, revert_message=message, txn=kwargs.get("txn"), set_ape_traceback=False
    )


def _decode_raw_error(raised: Any, abi: Any) -> dict | None:
    """The inputs of ``abi`` if ``raised`` carries its selector as raw revert data, else None."""
    text = str(getattr(raised, "revert_message", None) or raised)
    match = re.search(r"custom error 0x([0-9a-fA-F]{8}):\s*([0-9a-fA-F]*)", text) or re.fullmatch(
        r"\s*0x([0-9a-fA-F]{8})([0-9a-fA-F]*)\s*", text
    )
    if match is None:
        return None
    data = bytes.fromhex(match.group(1) + match.group(2))
    if data[:4] != keccak(text=abi.selector)[:4]:
        return None
    values = decode([ipt.canonical_type for ipt in abi.inputs], data[4:])
    return {ipt.name: value for ipt, value in zip(abi.inputs, values)}


def _normalise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return value.lower()
    if hasattr(value, "address"):
        return str(value.address).lower()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return value


def fund(token: Any, who: Any, whole: int, sender: Any) -> int:
    amount = whole * 10 ** token.decimals()
    token.mint(who, amount, sender=sender)
    return amount


def expected_fee(amount: int, fee_bps: int) -> int:
    """Fee rounded up, as the module computes it."""
    return -(-amount * fee_bps // 10_000)


# ---- snapshots of the pool, to prove hostile borrowers leave it exactly whole ----

RESERVE_FIELDS = (
    "totalSupplied",
    "totalBorrowed",
    "cash",
    "availableLiquidity",
    "protocolReserves",
    "utilization",
    "borrowRate",
    "liquidityIndex",
    "borrowIndex",
    "totalSupplyShares",
    "totalDebtShares",
    "lastUpdate",
)


def pool_snapshot(env: FlashEnv, extra_accounts: tuple = ()) -> dict:
    """Every reserve's books and the pool's (and ``extra_accounts``') token balances."""
    snap: dict = {}
    for symbol, token in env.tokens.items():
        data = env.pool.getReserveData(token)
        snap[symbol] = {name: getattr(data, name) for name in RESERVE_FIELDS}
        snap[symbol]["poolBalance"] = token.balanceOf(env.pool)
        snap[symbol]["moduleBalance"] = token.balanceOf(env.module)
        for account in extra_accounts:
            snap[symbol][f"balance:{account.address}"] = token.balanceOf(account)
    return snap


def diff_snapshots(before: dict, after: dict) -> dict:
    return {
        (symbol, key): (before[symbol][key], after[symbol][key])
        for symbol in before
        for key in before[symbol]
        if before[symbol][key] != after[symbol][key]
    }


class FixedTime:
    """Runs an action in a block at a chosen timestamp and reads a reference state at that same timestamp.

    The pool's views accrue interest up to the block they are read at, so "before" and "after" must be read at
    the same time to compare exactly: ``reference`` is the pool as an empty block at ``t`` sees it, ``actual``
    the pool right after the action was mined at ``t`` (or, if the action reverted before being mined, after an
    empty block at ``t``).
    """

    def __init__(self, chain: Any, env: FlashEnv, extra_accounts: tuple = (), delay: int = 100):
        self.chain = chain
        self.env = env
        self.extra_accounts = extra_accounts
        self.t = chain.blocks.head.timestamp + delay
        snapshot = chain.snapshot()
        chain.pending_timestamp = self.t
        chain.mine()
        self.reference = pool_snapshot(env, extra_accounts)
        chain.restore(snapshot)
        chain.pending_timestamp = self.t

    def read(self) -> dict:
        if self.chain.blocks.head.timestamp < self.t:
            self.chain.pending_timestamp = self.t
            self.chain.mine()
        assert self.chain.blocks.head.timestamp == self.t, "the action was not mined at the pinned time"
        self.actual = pool_snapshot(self.env, self.extra_accounts)
        return self.actual

    def diff(self) -> dict:
        return diff_snapshots(self.reference, self.read())
