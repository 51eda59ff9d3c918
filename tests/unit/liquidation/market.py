"""A small Strata market for liquidation tests and the liquidation benchmark.

Registry, PriceOracle (Chainlink mock feeds), KinkedRateModel, LendingPool and LiquidationEngine, each module
behind its ModuleProxy and registered, with three assets of 6, 8 and 18 decimals. Pure functions of ape
objects so that ``scripts/bench_liquidation.py`` builds exactly what the tests use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

WAD = 10**18
RAY = 10**27
BPS = 10_000
MAX_UINT256 = 2**256 - 1
FEED_DECIMALS = 8
HEARTBEAT = 2**32 - 1  # tests move time by years; staleness is the oracle's own suite's business

# Engine parameters (WAD).
CLOSE_FACTOR = WAD // 2
FULL_LIQUIDATION_HF = 95 * WAD // 100
DUST_DEBT_VALUE = 100 * WAD  # $100
PROTOCOL_FEE_SHARE = WAD // 10  # 10% of the bonus
# V2 auction.
AUCTION_START_BONUS = WAD // 100  # 1%
AUCTION_FLOOR_HF = 90 * WAD // 100


class Action:
    """ILendingPool.Action values."""

    SUPPLY, WITHDRAW, BORROW, LIQUIDATE, FLASH = range(5)


def module_id(name: str) -> bytes:
    return name.encode("ascii").ljust(32, b"\0")


@dataclass(frozen=True)
class AssetSpec:
    symbol: str
    decimals: int
    price: str  # USD per whole token
    ltv: int  # bps
    liquidation_threshold: int  # bps
    liquidation_bonus: int  # bps
    reserve_factor: int  # bps


ASSETS: tuple[AssetSpec, ...] = (
    AssetSpec("USDC", 6, "1", 8000, 8500, 500, 1000),
    AssetSpec("WBTC", 8, "60000", 7000, 7500, 1000, 2000),
    AssetSpec("WETH", 18, "3000", 7500, 8000, 750, 1500),
)


@dataclass
class Asset:
    spec: AssetSpec
    token: Any
    feed: Any

    @property
    def address(self) -> str:
        return self.token.address

    @property
    def decimals(self) -> int:
        return self.spec.decimals

    def units(self, amount: str | int | Decimal) -> int:
        """Whole tokens → base units (exact for decimal strings)."""
        return int(Decimal(str(amount)) * 10**self.spec.decimals)


@dataclass
class Market:
    project: Any
    governance: Any
    guardian: Any
    registry: Any
    oracle: Any
    pool: Any
    engine: Any
    rate_model: Any
    interest_rate_model: Any
    assets: dict[str, Asset] = field(default_factory=dict)

    def __getitem__(self, symbol: str) -> Asset:
        return self.assets[symbol]

    # -- prices ----------------------------------------------------------------------------------------

    def set_price(self, symbol: str, usd: str | Decimal) -> None:
        """Sets the feed's answer (8 decimals); the oracle returns it scaled to WAD. With fixed prices (no feed),
        sets the same 8-decimal price on the price mock."""
        answer = int(Decimal(str(usd)) * 10**FEED_DECIMALS)
        assert answer > 0
        asset = self.assets[symbol]
        if asset.feed is None:
            self.oracle.setPrice(asset.address, answer * 10 ** (18 - FEED_DECIMALS), sender=self.governance)
        else:
            asset.feed.setAnswer(answer, sender=self.governance)

    def price(self, symbol: str) -> int:
        return int(self.oracle.getAssetPrice(self.assets[symbol].address))

    def chain_time_travel(self, seconds: int) -> None:
        """Mines a block ``seconds`` later (interest accrues; the feeds keep their answers: heartbeat is huge)."""
        from ape import chain

        chain.pending_timestamp = chain.pending_timestamp + seconds
        chain.mine()

    # -- positions -------------------------------------------------------------------------------------

    def fund(self, account: Any, symbol: str, amount: int) -> None:
        """Mints ``amount`` base units to ``account`` and approves the pool for them."""
        token = self.assets[symbol].token
        token.mint(account, amount, sender=account)
        token.approve(self.pool, MAX_UINT256, sender=account)

    def supply(self, account: Any, symbol: str, amount: int) -> None:
        self.fund(account, symbol, amount)
        self.pool.supply(self.assets[symbol].address, amount, account, sender=account)

    def borrow(self, account: Any, symbol: str, amount: int) -> None:
        self.pool.borrow(self.assets[symbol].address, amount, account, sender=account)

    def open_position(self, borrower: Any, collateral: str, collateral_amount: int, debt: str, debt_amount: int) -> None:
        self.supply(borrower, collateral, collateral_amount)
        self.borrow(borrower, debt, debt_amount)

    def health_factor(self, account: Any) -> int:
        return int(self.pool.getAccountData(account).healthFactor)

    def debt_of(self, account: Any, symbol: str) -> int:
        return int(self.pool.getUserReserve(self.assets[symbol].address, account)[1])

    def supplied_of(self, account: Any, symbol: str) -> int:
        return int(self.pool.getUserReserve(self.assets[symbol].address, account)[0])

    def price_for_health_factor(self, account: Any, collateral: str, target_hf: Decimal) -> Decimal:
        """The collateral price (USD) at which ``account``'s health factor is about ``target_hf``, when its only
        collateral is ``collateral``."""
        data = self.pool.getAccountData(account)
        asset = self.assets[collateral]
        amount = Decimal(self.supplied_of(account, collateral)) / 10**asset.decimals
        threshold = Decimal(asset.spec.liquidation_threshold) / BPS
        debt_value = Decimal(int(data.debtValue)) / WAD
        return (Decimal(target_hf) * debt_value / (amount * threshold)).quantize(Decimal("0.00000001"))

    def set_health_factor(self, account: Any, collateral: str, target_hf: str | Decimal) -> int:
        """Moves ``collateral``'s price so that ``account``'s health factor is about ``target_hf``; returns it."""
        self.set_price(collateral, self.price_for_health_factor(account, collateral, Decimal(str(target_hf))))
        return self.health_factor(account)


def _proxy(project: Any, deployer: Any, contract: Any, initializer: str, *args: Any) -> Any:
    implementation = deployer.deploy(contract)
    data = getattr(implementation, initializer).encode_input(*args)
    proxy = deployer.deploy(project.ModuleProxy, implementation, data)
    return contract.at(proxy.address)


def deploy_engine(project: Any, deployer: Any, registry: Any, contract: Any = None) -> Any:
    """A LiquidationEngine proxy with the default parameters (not registered)."""
    return _proxy(
        project,
        deployer,
        contract or project.LiquidationEngine,
        "initialize",
        registry,
        CLOSE_FACTOR,
        FULL_LIQUIDATION_HF,
        DUST_DEBT_VALUE,
        PROTOCOL_FEE_SHARE,
    )


def deploy_flash_module(market: Market, fee_bps: int) -> Any:
    """Adds a FlashLoanModule (default fee ``fee_bps``) to ``market``: registered and synced into the pool."""
    flash = _proxy(market.project, market.governance, market.project.FlashLoanModule, "initialize", market.registry, fee_bps)
    market.registry.setModule(module_id("FLASH_LOAN_MODULE"), flash, sender=market.governance)
    market.pool.syncModules(sender=market.governance)
    return flash


def deploy_market(project: Any, governance: Any, guardian: Any, *, fixed_prices: bool = False) -> Market:
    """Deploys and wires the whole market; ``governance`` deploys everything and holds governance.

    ``fixed_prices`` replaces the PriceOracle module and its Chainlink-shaped feeds by the pool's one-read
    price mock (PoolTestOracleMock), the setting of Morpho Blue's own gas benchmarks: the benchmark uses it to
    tell the liquidation's cost from the oracle's.
    """
    registry = _proxy(project, governance, project.ModuleRegistry, "initialize", governance, guardian)
    if fixed_prices:
        oracle = governance.deploy(project.PoolTestOracleMock)
    else:
        oracle = _proxy(project, governance, project.PriceOracle, "initialize", registry)
    registry.setModule(module_id("PRICE_ORACLE"), oracle, sender=governance)
    # Zero rates by default: no interest accrues between a preview (a call on the latest block) and the next
    # block's transaction, so the tests can compare them to the wei. `interest_rate_model` is for the tests that
    # need interest (protocol reserves): 2% base, 10% slope to 80% utilisation, 100% beyond (per year, WAD).
    rate_model = governance.deploy(project.KinkedRateModel, 0, 0, 80 * WAD // 100, 0)
    interest_rate_model = governance.deploy(
        project.KinkedRateModel, 2 * WAD // 100, 10 * WAD // 100, 80 * WAD // 100, WAD
    )
    pool = _proxy(project, governance, project.LendingPool, "initialize", registry)
    registry.setModule(module_id("LENDING_POOL"), pool, sender=governance)
    engine = deploy_engine(project, governance, registry)
    registry.setModule(module_id("LIQUIDATION_ENGINE"), engine, sender=governance)
    pool.syncModules(sender=governance)

    market = Market(project, governance, guardian, registry, oracle, pool, engine, rate_model, interest_rate_model)
    for spec in ASSETS:
        token = governance.deploy(project.MockERC20, f"Mock {spec.symbol}", spec.symbol, spec.decimals)
        if fixed_prices:
            feed = None
            oracle.setPrice(token, int(Decimal(spec.price) * WAD), sender=governance)
        else:
            answer = int(Decimal(spec.price) * 10**FEED_DECIMALS)
            feed = governance.deploy(project.MockAggregatorV3, FEED_DECIMALS, answer)
            oracle.setFeed(token, feed, HEARTBEAT, 1, 10**30, sender=governance)
        config = (spec.ltv, spec.liquidation_threshold, spec.liquidation_bonus, spec.reserve_factor, 0, 0, True)
        pool.listReserve(token, config, rate_model, sender=governance)
        market.assets[spec.symbol] = Asset(spec, token, feed)
    return market
