"""The deployment plan of the whole protocol, as idempotent steps over ``Deployer``.

The same function deploys for ``make demo``, ``ape run deploy`` and the test suite's session fixture, so the
tests exercise the real deployment. Order: registry → oracle → rate models → pool → liquidation → flash loans →
markets → governance (token, timelock, governor) → registry and every module handed to the Timelock. After the
last step the deployer holds no role anywhere (``tests/integration/test_permissions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strata import governance as gov
from strata.deployer import Deployer
from strata.modules import (
    FLASH_LOAN_MODULE,
    GOVERNANCE_TOKEN,
    GOVERNOR,
    LENDING_POOL,
    LIQUIDATION_ENGINE,
    PRICE_ORACLE,
    REGISTRY,
    TIMELOCK,
    module_id_bytes,
)

WAD = 10**18
FEED_DECIMALS = 8


@dataclass(frozen=True)
class RateCurve:
    """Annual rates and kink of a ``KinkedRateModel``, in WAD."""

    name: str
    base: int
    slope1: int
    optimal: int
    slope2: int


@dataclass(frozen=True)
class MarketSpec:
    """One reserve. On a devchain the token and its price feed are mocks deployed by the plan."""

    symbol: str
    decimals: int
    price_usd: float
    curve: str
    ltv_bps: int
    liquidation_threshold_bps: int
    liquidation_bonus_bps: int
    reserve_factor_bps: int
    supply_cap: int  # whole tokens, 0 = none
    borrow_cap: int  # whole tokens, 0 = none
    borrowing_enabled: bool = True
    flash_fee_bps: int = 5
    feed_heartbeat: int = 86_400

    @property
    def feed_answer(self) -> int:
        return round(self.price_usd * 10**FEED_DECIMALS)


# Risk parameters in the range Aave V3 and Compound III use on mainnet for the same kinds of assets.
STABLE_CURVE = RateCurve("StableRateModel", base=0, slope1=4 * WAD // 100, optimal=90 * WAD // 100, slope2=60 * WAD // 100)
VOLATILE_CURVE = RateCurve("VolatileRateModel", base=0, slope1=3 * WAD // 100, optimal=80 * WAD // 100, slope2=80 * WAD // 100)

DEVCHAIN_MARKETS: tuple[MarketSpec, ...] = (
    MarketSpec("USDC", 6, 1.0, "StableRateModel", 7700, 8000, 450, 1000, 100_000_000, 90_000_000),
    MarketSpec("WETH", 18, 3000.0, "VolatileRateModel", 8000, 8250, 500, 1500, 100_000, 80_000),
    MarketSpec("WBTC", 8, 60000.0, "VolatileRateModel", 7300, 7800, 500, 2000, 5_000, 2_500),
)


@dataclass
class ProtocolConfig:
    """What a deployment needs to know beyond the contracts themselves."""

    guardian: str
    markets: tuple[MarketSpec, ...] = DEVCHAIN_MARKETS
    curves: tuple[RateCurve, ...] = (STABLE_CURVE, VOLATILE_CURVE)
    governance: gov.GovernanceParams = gov.DEVCHAIN_PARAMS
    # Governance token holders after deployment (address → whole tokens); the rest goes to the Timelock.
    token_holders: dict[str, int] = field(default_factory=dict)
    close_factor: int = WAD // 2
    full_liquidation_health_factor: int = 95 * WAD // 100
    dust_debt_value: int = 100 * WAD  # USD
    protocol_liquidation_fee_share: int = WAD // 10  # 10% of the bonus
    default_flash_fee_bps: int = 5
    hand_over_to_timelock: bool = True


@dataclass
class Protocol:
    """Handles on the deployed contracts (ape instances; proxies typed as their implementations)."""

    registry: Any
    oracle: Any
    pool: Any
    liquidation: Any
    flash: Any
    token: Any
    timelock: Any
    governor: Any
    assets: dict[str, Any] = field(default_factory=dict)  # symbol → token
    feeds: dict[str, Any] = field(default_factory=dict)  # symbol → aggregator
    rate_models: dict[str, Any] = field(default_factory=dict)  # curve name → model


def deploy_protocol(deployer: Deployer, config: ProtocolConfig) -> Protocol:
    """Deploys (or resumes deploying) every module, lists the markets and hands everything to governance."""
    me = deployer.account
    registry = deployer.deploy_proxy(REGISTRY.name, REGISTRY.contract, "initialize", (me.address, config.guardian), module_id="REGISTRY")

    oracle = deployer.deploy_proxy(PRICE_ORACLE.name, PRICE_ORACLE.contract, "initialize", (registry.address,), module_id=PRICE_ORACLE.module_id)
    register_module(deployer, registry, PRICE_ORACLE.module_id, oracle.address)

    rate_models = {
        curve.name: deployer.deploy(curve.name, "KinkedRateModel", curve.base, curve.slope1, curve.optimal, curve.slope2)
        for curve in config.curves
    }

    pool = deployer.deploy_proxy(LENDING_POOL.name, LENDING_POOL.contract, "initialize", (registry.address,), module_id=LENDING_POOL.module_id)
    register_module(deployer, registry, LENDING_POOL.module_id, pool.address)

    liquidation = deployer.deploy_proxy(
        LIQUIDATION_ENGINE.name,
        LIQUIDATION_ENGINE.contract,
        "initialize",
        (
            registry.address,
            config.close_factor,
            config.full_liquidation_health_factor,
            config.dust_debt_value,
            config.protocol_liquidation_fee_share,
        ),
        module_id=LIQUIDATION_ENGINE.module_id,
    )
    register_module(deployer, registry, LIQUIDATION_ENGINE.module_id, liquidation.address)

    flash = deployer.deploy_proxy(
        FLASH_LOAN_MODULE.name,
        FLASH_LOAN_MODULE.contract,
        "initialize",
        (registry.address, config.default_flash_fee_bps),
        module_id=FLASH_LOAN_MODULE.module_id,
    )
    register_module(deployer, registry, FLASH_LOAN_MODULE.module_id, flash.address)
    _sync_pool_modules(deployer, pool, oracle, liquidation, flash)

    assets, feeds = _list_markets(deployer, config, oracle, pool, flash, rate_models)
    token, timelock, governor = _deploy_governance(deployer, config, registry)

    if config.hand_over_to_timelock:
        deployer.ensure(
            "hand the registry (and so every module) to the Timelock",
            lambda: registry.governance() == timelock.address,
            lambda: registry.transferGovernance(timelock.address, sender=me),
        )
    deployer.record.parameters.update(
        {
            "guardian": config.guardian,
            "governance": registry.governance(),
            "markets": [m.symbol for m in config.markets],
            "governance_params": {
                "voting_delay": config.governance.voting_delay,
                "voting_period": config.governance.voting_period,
                "proposal_threshold": config.governance.proposal_threshold,
                "quorum_numerator": config.governance.quorum_numerator,
                "timelock_delay": config.governance.timelock_delay,
            },
        }
    )
    deployer.record.completed = True
    deployer.save()
    return Protocol(
        registry=registry,
        oracle=oracle,
        pool=pool,
        liquidation=liquidation,
        flash=flash,
        token=token,
        timelock=timelock,
        governor=governor,
        assets=assets,
        feeds=feeds,
        rate_models=rate_models,
    )


def load_protocol(deployer: Deployer) -> Protocol:
    """Handles on an already recorded deployment (no transaction is sent)."""
    record = deployer.record
    at = deployer.at
    assets = {name.removeprefix("Token:"): at(name) for name in record.contracts if name.startswith("Token:")}
    feeds = {name.removeprefix("Feed:"): at(name) for name in record.contracts if name.startswith("Feed:")}
    models = {e.name: at(e.name) for e in record.contracts.values() if e.contract == "KinkedRateModel"}
    return Protocol(
        registry=at(REGISTRY.name),
        oracle=at(PRICE_ORACLE.name),
        pool=at(LENDING_POOL.name),
        liquidation=at(LIQUIDATION_ENGINE.name),
        flash=at(FLASH_LOAN_MODULE.name),
        token=at(GOVERNANCE_TOKEN.name),
        timelock=at(TIMELOCK.name),
        governor=at(GOVERNOR.name),
        assets=assets,
        feeds=feeds,
        rate_models=models,
    )


def register_module(deployer: Deployer, registry: Any, module_id: str | None, address: str) -> None:
    """Points ``module_id`` at ``address`` in the registry unless it already does (deployer is governance)."""
    assert module_id is not None
    key = module_id_bytes(module_id)
    deployer.ensure(
        f"register {module_id}",
        lambda: registry.moduleOf(key) == address,
        lambda: registry.setModule(key, address, sender=deployer.account),
    )


def _sync_pool_modules(deployer: Deployer, pool: Any, oracle: Any, liquidation: Any, flash: Any) -> None:
    def synced() -> bool:
        return tuple(pool.cachedModules()) == (
            oracle.address,
            liquidation.address,
            flash.address,
        )

    deployer.ensure("pool.syncModules()", synced, lambda: pool.syncModules(sender=deployer.account))


def _list_markets(
    deployer: Deployer, config: ProtocolConfig, oracle: Any, pool: Any, flash: Any, rate_models: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    me = deployer.account
    assets: dict[str, Any] = {}
    feeds: dict[str, Any] = {}
    for market in config.markets:
        token = deployer.deploy(f"Token:{market.symbol}", "MockERC20", f"Mock {market.symbol}", market.symbol, market.decimals)
        feed = deployer.deploy(f"Feed:{market.symbol}", "MockAggregatorV3", FEED_DECIMALS, market.feed_answer)
        assets[market.symbol], feeds[market.symbol] = token, feed
        max_price = int(market.price_usd * 1000 * WAD)
        min_price = max(int(market.price_usd * WAD) // 1000, 1)
        deployer.ensure(
            f"oracle.setFeed({market.symbol})",
            lambda token=token, feed=feed: oracle.getFeed(token).feed == feed.address,
            lambda token=token, feed=feed, market=market: oracle.setFeed(
                token, feed, market.feed_heartbeat, min_price, max_price, sender=me
            ),
        )
        reserve_config = (
            market.ltv_bps,
            market.liquidation_threshold_bps,
            market.liquidation_bonus_bps,
            market.reserve_factor_bps,
            market.supply_cap,
            market.borrow_cap,
            market.borrowing_enabled,
        )
        deployer.ensure(
            f"pool.listReserve({market.symbol})",
            lambda token=token: token.address in list(pool.getReservesList()),
            lambda token=token, reserve_config=reserve_config, market=market: pool.listReserve(
                token, reserve_config, rate_models[market.curve], sender=me
            ),
        )
        if market.flash_fee_bps != config.default_flash_fee_bps:
            # A reserve with a fee of its own costs each of its flash loans one more cold SLOAD (2.1k): only
            # markets that differ from the module's default get one.
            deployer.ensure(
                f"flash.setFlashFee({market.symbol})",
                lambda token=token, market=market: tuple(flash.getReserveFlashConfig(token))[1:] == (market.flash_fee_bps, True),
                lambda token=token, market=market: flash.setFlashFee(token, market.flash_fee_bps, sender=me),
            )
    return assets, feeds


def _deploy_governance(deployer: Deployer, config: ProtocolConfig, registry: Any) -> tuple[Any, Any, Any]:
    me = deployer.account
    params = config.governance
    token = deployer.deploy(GOVERNANCE_TOKEN.name, GOVERNANCE_TOKEN.contract, me.address, module_id=GOVERNANCE_TOKEN.module_id)
    timelock = deployer.deploy(TIMELOCK.name, TIMELOCK.contract, params.timelock_delay, [], [], me.address, module_id=TIMELOCK.module_id)
    governor = deployer.deploy_proxy(
        GOVERNOR.name,
        GOVERNOR.contract,
        "initialize",
        (token.address, timelock.address, *params.initialize_args()),
        module_id=GOVERNOR.module_id,
    )
    for spec, contract in ((GOVERNANCE_TOKEN, token), (TIMELOCK, timelock), (GOVERNOR, governor)):
        register_module(deployer, registry, spec.module_id, contract.address)

    # Roles first (idempotent in strata.governance), then the deployer's admin seat is renounced.
    roles = gov.TIMELOCK_ROLES
    deployer.ensure(
        "timelock roles: governor proposes/executes/cancels, guardian cancels, deployer renounces admin",
        lambda: not timelock.hasRole(roles["DEFAULT_ADMIN_ROLE"], me.address)
        and timelock.hasRole(roles["PROPOSER_ROLE"], governor.address),
        lambda: gov.setup_timelock_roles(timelock, governor, config.guardian, me),
    )

    # The deployer keeps no tokens: holders named in the config, the rest to the Timelock (the treasury).
    for holder, whole_tokens in config.token_holders.items():
        amount = whole_tokens * WAD
        deployer.ensure(
            f"STRATA to {holder}",
            lambda holder=holder, amount=amount: token.balanceOf(holder) >= amount,
            lambda holder=holder, amount=amount: token.transfer(holder, amount, sender=me),
        )
    deployer.ensure(
        "rest of STRATA to the Timelock",
        lambda: token.balanceOf(me.address) == 0,
        lambda: token.transfer(timelock.address, token.balanceOf(me.address), sender=me),
    )
    return token, timelock, governor
