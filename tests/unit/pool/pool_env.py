"""The LendingPool test system, shared by ``tests/unit/pool`` and ``tests/adversarial/pool``.

``pool_env`` deploys a registry, the LendingPool behind its ModuleProxy, a settable price oracle
(PoolTestOracleMock), a KinkedRateModel, a ScriptedLiquidationEngineMock registered as LIQUIDATION_ENGINE (its
quote is whatever the test scripts), a PoolHookCallerMock as FLASH_LOAN_MODULE, and three MockERC20 reserves
(USDC 6, WBTC 8, WETH 18 decimals). It is module-scoped (a fresh system per test file); ape's per-test snapshot
isolates the tests inside a file. Both conftests star-import this module.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest

from tests.unit.pool.model import MAX_UINT, RAY, WAD, KinkedCurve
from tests.utils.actors import actor

BLOCK = 12

# ILendingPool.Action
SUPPLY, WITHDRAW, BORROW, LIQUIDATE, FLASH = range(5)

# (symbol, decimals, USD price, config); config = (ltv, liquidationThreshold, liquidationBonus, reserveFactor,
# supplyCap, borrowCap, borrowingEnabled) in basis points / whole tokens.
RESERVES = (
    ("USDC", 6, 1, (7_500, 8_000, 500, 1_000, 0, 0, True)),
    ("WBTC", 8, 60_000, (7_000, 7_500, 1_000, 2_000, 0, 0, True)),
    ("WETH", 18, 3_000, (8_000, 8_500, 500, 1_000, 0, 0, True)),
)
CURVE = KinkedCurve(base=int(0.02e18), slope1=int(0.04e18), optimal=int(0.8e18), slope2=int(0.75e18))


def module_id(name: str) -> bytes:
    return name.encode("ascii").ljust(32, b"\0")


def deploy_proxy(project: Any, deployer: Any, contract: Any, *init_args: Any) -> tuple[Any, Any]:
    impl = deployer.deploy(contract)
    proxy = deployer.deploy(project.ModuleProxy, impl, impl.initialize.encode_input(*init_args))
    return contract.at(proxy.address), impl


@contextmanager
def reverts_named(contract: Any, name: str, **inputs: Any) -> Iterator[None]:
    """Like ``ape.reverts(contract.Error, **inputs)``, matched on the error's selector and arguments.

    Needed for calls relayed by a mock module: ape then decodes the pool's error through another contract type
    (a distinct same-named class) or not at all (a bare ContractLogicError with the revert data), which
    ``ape.reverts(pool.Error)`` would not accept."""
    from ape.exceptions import ContractLogicError
    from eth_abi import decode
    from eth_utils import keccak, to_checksum_address

    abi = next(e for e in contract.contract_type.errors if e.name == name)
    try:
        yield
    except ContractLogicError as err:
        if type(err).__name__ == name:
            actual = dict(getattr(err, "inputs", None) or {})
        else:
            message = str(err.revert_message)
            assert message.startswith("0x"), f"expected {name}, got {type(err).__name__}: {message}"
            data = bytes.fromhex(message.removeprefix("0x"))
            assert data[:4] == keccak(text=abi.selector)[:4], f"expected {name}, got {err}"
            values = decode([i.canonical_type for i in abi.inputs], data[4:])
            actual = {i.name: v for i, v in zip(abi.inputs, values)}
        for key, value in inputs.items():
            got = actual[key]
            if isinstance(got, str) and got.startswith("0x") and len(got) == 42:
                got, value = to_checksum_address(got), to_checksum_address(str(value))
            assert got == value, (key, got, value)
    else:
        raise AssertionError(f"expected the call to revert with {name}")


@dataclass
class PoolEnv:
    project: Any
    chain: Any
    governance: Any
    guardian: Any
    registry: Any
    pool: Any
    pool_impl: Any
    oracle: Any
    rate_model: Any
    engine: Any
    flash: Any
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

    def units(self, token: Any, whole: float) -> int:
        return int(whole * 10 ** token.decimals())

    def fund(self, account: Any, token: Any, amount: int) -> None:
        """Mints `amount` to `account` and approves the pool for everything."""
        token.mint(account, amount, sender=account)
        token.approve(self.pool, MAX_UINT, sender=account)

    def deposit(self, account: Any, token: Any, amount: int) -> Any:
        self.fund(account, token, amount)
        return self.pool.supply(token, amount, account, sender=account)

    def open_position(self, account: Any, collateral: Any, collateral_amount: int, debt: Any, debt_amount: int) -> None:
        self.deposit(account, collateral, collateral_amount)
        self.pool.borrow(debt, debt_amount, account, sender=account)

    def list_token(self, token: Any, config: tuple, price_usd: float) -> None:
        self.oracle.setPrice(token, int(price_usd * WAD), sender=self.governance)
        self.pool.listReserve(token, config, self.rate_model, sender=self.governance)

    def set_price(self, token: Any, price_usd: float) -> None:
        self.oracle.setPrice(token, int(price_usd * WAD), sender=self.governance)

    def next_block(self, seconds: int = BLOCK) -> int:
        """The next transaction is mined `seconds` after the head; returns that timestamp."""
        t = self.chain.blocks.head.timestamp + seconds
        self.chain.pending_timestamp = t
        return t

    def read_at_next_block(self, read: Any, seconds: int = BLOCK) -> Any:
        """Pins the next block `seconds` after the head; returns what `read()` sees at that time before it.

        Views accrue interest up to the block they are read in. Anvil gives blocks mined within one second the
        same timestamp, so a "before" read at the head and an "after" read once the next transaction is mined
        usually see the same time there; a Hardhat node gives every block a later timestamp than the last (and
        wall-clock time passes on any node), so they differ by interest alone. Here "before" is what an empty
        block at the pinned time sees (mined in a snapshot, then reverted), and the next transaction is mined at
        that same time: both sides compare at one timestamp on every node."""
        t = self.chain.blocks.head.timestamp + seconds
        snapshot = self.chain.snapshot()
        self.chain.pending_timestamp = t
        self.chain.mine()
        value = read()
        self.chain.restore(snapshot)
        self.chain.pending_timestamp = t
        return value

    def mine(self, seconds: int) -> None:
        self.chain.pending_timestamp = self.chain.blocks.head.timestamp + seconds
        self.chain.mine()

    def liquidate(self, call: tuple, sender: Any, requested: int = 2**256 - 1) -> Any:
        """`executeLiquidation` from the registered LIQUIDATION_ENGINE stand-in, whose quote is scripted:
        ``call`` = (liquidator, borrower, debtAsset, collateralAsset, repay, seize, fee); ``requested`` is the
        liquidator's cap on the repayment."""
        liquidator, borrower, debt, collateral, repay, seize, fee = call
        return self.engine.liquidateWithQuote(
            self.pool, liquidator, borrower, debt, collateral, requested, repay, seize, fee, sender=sender
        )

    def flash_loan(self, token: Any, amount: int, fee: int, sender: Any, repay: int | None = None,
                   during: list[tuple[Any, bytes]] = ()) -> Any:
        """lend → (calls in `during`) → the stand-in sends `repay` (default amount + fee) back → settle, in one tx.

        The stand-in receives the loan; fund it with the fee first."""
        repay = amount + fee if repay is None else repay
        targets = [self.pool.address]
        datas = [self.pool.flashLoanLend.encode_input(token, self.flash, amount)]
        for target, data in during:
            targets.append(target.address)
            datas.append(data)
        targets += [token.address, self.pool.address]
        datas += [token.transfer.encode_input(self.pool, repay), self.pool.flashLoanSettle.encode_input(token, amount, fee)]
        return self.flash.executeBatch(targets, datas, sender=sender)

    def reserve(self, token: Any) -> Any:
        return self.pool.getReserveData(token)


def build_pool_env(project: Any, chain: Any, governance: Any, guardian: Any) -> PoolEnv:
    registry, _ = deploy_proxy(project, governance, project.ModuleRegistry, governance, guardian)
    oracle = governance.deploy(project.PoolTestOracleMock)
    registry.setModule(module_id("PRICE_ORACLE"), oracle, sender=governance)
    engine = governance.deploy(project.ScriptedLiquidationEngineMock)
    registry.setModule(module_id("LIQUIDATION_ENGINE"), engine, sender=governance)
    flash = governance.deploy(project.PoolHookCallerMock)
    registry.setModule(module_id("FLASH_LOAN_MODULE"), flash, sender=governance)
    rate_model = governance.deploy(project.KinkedRateModel, CURVE.base, CURVE.slope1, CURVE.optimal, CURVE.slope2)
    pool, pool_impl = deploy_proxy(project, governance, project.LendingPool, registry)
    registry.setModule(module_id("LENDING_POOL"), pool, sender=governance)
    env = PoolEnv(project, chain, governance, guardian, registry, pool, pool_impl, oracle, rate_model, engine, flash)
    for symbol, decimals, price, config in RESERVES:
        token = governance.deploy(project.MockERC20, symbol, symbol, decimals)
        env.list_token(token, config, price)
        env.tokens[symbol] = token
    return env


@pytest.fixture(scope="session")
def governance(accounts):
    """Governance of the pool's own test registry: the deployer, as at deployment time before the Timelock."""
    return actor(accounts, "deployer")


@pytest.fixture(scope="session")
def treasury(accounts):
    """Receives protocol reserves."""
    return actor(accounts, "second_supplier")


@pytest.fixture(scope="session")
def delegatee(accounts):
    """An account a borrower lets borrow on its behalf (credit delegation)."""
    return actor(accounts, "second_borrower")


@pytest.fixture(scope="module")
def pool_env(project, chain, governance, guardian, supplier, borrower, liquidator, attacker, outsider, treasury,
             delegatee) -> PoolEnv:
    # Every role fixture is requested here so that it exists before the module's snapshot (no rebasing).
    return build_pool_env(project, chain, governance, guardian)


@pytest.fixture(scope="module")
def pool(pool_env):
    return pool_env.pool


@pytest.fixture(scope="module")
def usdc(pool_env):
    return pool_env.usdc


@pytest.fixture(scope="module")
def wbtc(pool_env):
    return pool_env.wbtc


@pytest.fixture(scope="module")
def weth(pool_env):
    return pool_env.weth


__all__ = [
    "reverts_named", "BLOCK", "BORROW", "FLASH", "LIQUIDATE", "MAX_UINT", "RAY", "RESERVES", "SUPPLY", "WAD", "WITHDRAW", "CURVE",
    "PoolEnv", "build_pool_env", "deploy_proxy", "module_id",
    "governance", "treasury", "delegatee", "pool_env", "pool", "usdc", "wbtc", "weth",
]
