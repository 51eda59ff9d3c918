"""Strata, deployed by the project's own plan (``strata.protocol.deploy_protocol``), then given the bench's pair.

The plan is run with no markets of its own and without the hand-over to the Timelock, so that the bench's
deployer can list the shared tokens directly (a governance vote per listing would only slow the run down). The
parameters match the other two protocols: the same rate curve as Aave, 10% reserve factor on the loan token,
5 bps flash fee, close factor 50% (100% below HF 0.95, as Aave) and no protocol share of the liquidation bonus
(Aave's default in this bench, and Morpho has none).

Strata is measured only when this checkout has the contracts and the plan: otherwise ``unavailable_reason``
says why and the Strata column reads "n/a" (never an estimate).
"""

from __future__ import annotations

from typing import Any

from strata.bench.adapters.base import NO_DEBT_HEALTH, WAD, Listing, RiskParams
from strata.bench.artifacts import Artifact, contract_type

REQUIRED_CONTRACTS = ("LendingPool", "LiquidationEngine", "FlashLoanModule", "PriceOracle", "MockAggregatorV3")
FEED_DECIMALS = 8
# Strata's oracle rejects answers older than this. The scenario jumps one day between two borrows; Aave's and
# Morpho's bench oracles never go stale, so neither must Strata's (a keeper refresh would be an extra transaction).
FEED_HEARTBEAT = 7 * 86_400
MAX_UINT = 2**256 - 1
RATE_MODEL_NAME = "BenchRateModel"


def unavailable_reason(project: Any) -> str | None:
    """None when Strata can be benchmarked from this checkout, else a one-line reason for the "n/a" column."""
    contracts = getattr(project, "contracts", {})
    missing = [name for name in REQUIRED_CONTRACTS if name not in contracts]
    if missing:
        return f"Strata not measured: {', '.join(missing)} not in this checkout yet"
    try:
        from strata import protocol as plan
    except ImportError as err:
        return f"Strata not measured: strata.protocol cannot be imported ({err})"
    fields = getattr(plan.ProtocolConfig, "__dataclass_fields__", {})
    needed = ("guardian", "markets", "curves", "hand_over_to_timelock", "protocol_liquidation_fee_share")
    if not hasattr(plan, "deploy_protocol") or any(name not in fields for name in needed):
        return "Strata not measured: strata.protocol's deployment plan is not the one the bench adapter knows"
    return None


class StrataAdapter:
    key = "strata"
    label = "Strata"
    supports_multi_collateral = True

    def __init__(self, project: Any, chain: Any, deployer: Any, guardian: str, risk: RiskParams) -> None:
        self.project = project
        self.chain = chain
        self.deployer = deployer
        self.guardian = guardian
        self.risk = risk
        self._feeds: dict[str, Any] = {}
        self._listed: set[str] = set()

    # -- deployment ------------------------------------------------------------------------------------------

    def deploy(self, listings: list[Listing]) -> None:
        from strata import protocol as plan
        from strata.deployer import Deployer, chain_identity, open_record

        r = self.risk
        curve = plan.RateCurve(
            RATE_MODEL_NAME,
            base=0,
            slope1=r.slope1_bps * WAD // 10_000,
            optimal=r.optimal_utilization_bps * WAD // 10_000,
            slope2=r.slope2_bps * WAD // 10_000,
        )
        config = plan.ProtocolConfig(
            guardian=self.guardian,
            markets=(),
            curves=(curve,),
            protocol_liquidation_fee_share=0,
            hand_over_to_timelock=False,
            **self._optional_config(plan, r),
        )
        record = open_record(chain_identity(self.chain, self.chain.provider), path=None)
        deployer = Deployer(self.project, self.chain, self.deployer, record, record_file=None)
        deployed = plan.deploy_protocol(deployer, config)
        self.pool = deployed.pool
        self.oracle = deployed.oracle
        self.liquidation = deployed.liquidation
        self.flash = deployed.flash
        self.rate_model = deployed.rate_models[RATE_MODEL_NAME]
        for listing in listings:
            self.list_asset(listing)

    @staticmethod
    def _optional_config(plan: Any, r: RiskParams) -> dict[str, Any]:
        # Fields the plan may or may not have; passed only when it does, with the bench's values.
        fields = plan.ProtocolConfig.__dataclass_fields__
        wanted = {
            "close_factor": WAD // 2,
            "full_liquidation_health_factor": 95 * WAD // 100,
            "default_flash_fee_bps": r.flash_fee_bps,
        }
        return {name: value for name, value in wanted.items() if name in fields}

    def list_asset(self, listing: Listing) -> None:
        d = self.deployer
        token = listing.token
        feed = d.deploy(self.project.MockAggregatorV3, FEED_DECIMALS, _feed_answer(listing.price))
        self._feeds[str(token.address)] = feed
        # Bounds wide enough for any price the bench sets (they guard against broken feeds, not markets).
        low, high = max(listing.price // 1000, 1), listing.price * 1000
        self.oracle.setFeed(token.address, feed.address, FEED_HEARTBEAT, low, high, sender=d)
        config = (
            listing.ltv_bps,
            listing.liquidation_threshold_bps,
            listing.liquidation_bonus_bps,
            self.risk.reserve_factor_bps if listing.borrowable else 0,
            0,  # supply cap: none
            0,  # borrow cap: none
            listing.borrowable,
        )
        self.pool.listReserve(token.address, config, self.rate_model.address, sender=d)
        self._listed.add(str(token.address))

    def list_collateral(self, listing: Listing) -> None:
        self.list_asset(listing)

    def deploy_flash_receiver(self, compiled: dict[str, Artifact], tokens: list[Any]) -> None:
        # ERC-3156: the lender (the FlashLoanModule) pulls the repayment, so it is the one approved.
        self._flash_receiver = self.deployer.deploy(
            contract_type(compiled["StrataFlashReceiverMock"]),
            self.flash.address,
            self.flash.address,
            [t.address for t in tokens],
        )

    def approve_all(self, users: list[Any], assets: list[Any]) -> None:
        for user in users:
            for asset in assets:
                asset.approve(self.pool.address, MAX_UINT, sender=user)

    # -- measured operations ----------------------------------------------------------------------------------

    def supply(self, user: Any, asset: Any, amount: int) -> Any:
        return self.pool.supply(asset.address, amount, user.address, sender=user)

    def supply_collateral(self, user: Any, asset: Any, amount: int) -> Any:
        # A first supply of an asset that can be collateral turns it on in the same call (as on Aave).
        return self.pool.supply(asset.address, amount, user.address, sender=user)

    def borrow(self, user: Any, asset: Any, amount: int) -> Any:
        return self.pool.borrow(asset.address, amount, user.address, sender=user)

    def repay(self, user: Any, asset: Any, amount: int | None) -> Any:
        return self.pool.repay(asset.address, MAX_UINT if amount is None else amount, user.address, sender=user)

    def withdraw(self, user: Any, asset: Any, amount: int) -> Any:
        return self.pool.withdraw(asset.address, amount, user.address, sender=user)

    def withdraw_collateral(self, user: Any, asset: Any, amount: int) -> Any:
        return self.pool.withdraw(asset.address, amount, user.address, sender=user)

    def liquidate(self, liquidator: Any, borrower: Any, collateral: Any, debt_asset: Any, debt_to_cover: int) -> Any:
        # The engine computes the seizure; the pool pulls the repayment from the liquidator (approved above).
        return self.liquidation.liquidate(
            borrower.address, debt_asset.address, collateral.address, debt_to_cover, sender=liquidator
        )

    def flash_loan(self, caller: Any, asset: Any, amount: int) -> Any:
        return self._flash_receiver.run(asset.address, amount, sender=caller)

    # -- setup and views -------------------------------------------------------------------------------------

    def set_price(self, asset: Any, price: int) -> None:
        self._feeds[str(asset.address)].setAnswer(_feed_answer(price), sender=self.deployer)

    def health(self, user: Any) -> int:
        hf = int(self.pool.getAccountData(user.address).healthFactor)
        return NO_DEBT_HEALTH if hf == MAX_UINT else hf

    def _position(self, user: Any, asset: Any) -> tuple[int, int, bool]:
        supplied, borrowed, as_collateral = self.pool.getUserReserve(asset.address, user.address)
        return int(supplied), int(borrowed), bool(as_collateral)

    def supplied(self, user: Any, asset: Any) -> int:
        return self._position(user, asset)[0]

    def collateral(self, user: Any, asset: Any) -> int:
        supplied, _, as_collateral = self._position(user, asset)
        return supplied if as_collateral else 0

    def debt(self, user: Any, asset: Any) -> int:
        return self._position(user, asset)[1]

    def custody(self, asset: Any) -> str:
        return str(self.pool.address)

    def flash_receiver(self) -> str:
        return str(self._flash_receiver.address)

    def flash_fee(self, asset: Any, amount: int) -> int:
        return int(self.flash.flashFee(asset.address, amount))

    def describe(self) -> dict[str, Any]:
        versions = {}
        for name, module in (("pool", self.pool), ("liquidation", self.liquidation), ("flash", self.flash)):
            try:
                versions[name] = str(module.version())
            except Exception:  # noqa: BLE001 - a description, never a reason to fail the run
                versions[name] = "?"
        return {"modules": ", ".join(f"{k} {v}" for k, v in versions.items())}


def _feed_answer(price: int) -> int:
    return price * 10**FEED_DECIMALS // WAD


__all__ = ["StrataAdapter", "unavailable_reason"]
