"""One benchmark run on the connected Anvil: deploy everything, run the scenario on each protocol, measure growth.

Order (so that every protocol starts from the very same chain state, timestamps included):
  1. clock: first block at a fixed instant, then one block every 12 s;
  2. the shared ERC20 pair, funded actors, every protocol deployed and approved → snapshot "base";
  3. per protocol: back to "base", run the scenario;
  4. growth: back to "base", list 15 more collateral assets on the multi-collateral protocols → snapshot;
     per number of collateral assets and per protocol: back to that snapshot, borrow, drop the price, liquidate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from strata.bench.adapters.aave import AaveV3Adapter
from strata.bench.adapters.base import Listing, RiskParams
from strata.bench.adapters.morpho import MorphoBlueAdapter
from strata.bench.adapters.strata import StrataAdapter, unavailable_reason
from strata.bench.artifacts import MORPHO_PACKAGE, BenchPackages, contract_type
from strata.bench.chain import ApeChainView, Snapshots
from strata.bench.scenario import (
    GROWTH_COLLATERAL_COUNTS,
    OPERATION_KEYS,
    Actors,
    Amounts,
    GrowthAmounts,
    GrowthRun,
    ScenarioRun,
    whole,
)

FUNDING = whole(1_000_000_000)  # every actor's balance of each token: never runs out, never reaches zero
FLASH_RECEIVER_FUNDING = whole(100)  # pays flash-loan fees


@dataclass
class BenchResult:
    anvil: str
    operations: dict[str, dict[str, int | None]]
    growth: dict[int, dict[str, dict[str, int] | None]]
    protocols: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    token: str = "oz5"


# The shared ERC20 pair: OpenZeppelin 5 (the project's MockERC20: an unlimited allowance is never written back)
# or Aave's MintableERC20 (OpenZeppelin 3 style: every transferFrom rewrites the allowance and emits Approval).
TOKEN_KINDS = ("oz5", "aave-mintable")


@dataclass(frozen=True)
class BenchOptions:
    growth: bool = True
    collateral_counts: tuple[int, ...] = GROWTH_COLLATERAL_COUNTS
    token: str = "oz5"


class Bench:
    def __init__(
        self, project: Any, chain: Any, accounts: Any, bench_dir: Path, log: Callable[[str], None] = print
    ) -> None:
        self.project = project
        self.chain = chain
        self.provider = chain.provider
        self.view = ApeChainView(chain, self.provider)
        self.packages = BenchPackages(bench_dir)
        self.log = log
        self.risk = RiskParams()
        self.amounts = Amounts()
        test_accounts = accounts.test_accounts
        self.deployer = test_accounts[0]
        self.actors = Actors(
            supplier=test_accounts[1],
            new_supplier=test_accounts[2],
            borrower=test_accounts[3],
            risky_borrower=test_accounts[4],
            liquidator=test_accounts[5],
            flash_caller=test_accounts[6],
        )
        self.treasury = test_accounts[7].address
        # Strata, the growth tokens and every mint use accounts of their own, so that adding Strata to the run (or
        # not) moves no address of the Aave/Morpho deployment and no figure of theirs.
        self.strata_deployer = test_accounts[8]
        self.minter = test_accounts[9]
        self.options = BenchOptions()
        self.notes: list[str] = []

    # -- setup ---------------------------------------------------------------------------------------------

    def _token(self, name: str, symbol: str, deployer: Any = None) -> Any:
        deployer = deployer or self.deployer
        if self.options.token == "aave-mintable":
            return deployer.deploy(contract_type(self.packages.aave("MintableERC20")), name, symbol, 18)
        return deployer.deploy(self.project.MockERC20, name, symbol, 18)

    def _fund(self, token: Any, holders: list[Any], amount: int = FUNDING) -> None:
        for holder in holders:
            token.mint(holder if isinstance(holder, str) else holder.address, amount, sender=self.minter)

    def _collateral_listing(self, token: Any, price: int) -> Listing:
        r = self.risk
        return Listing(
            token,
            price,
            collateral=True,
            ltv_bps=r.ltv_bps,
            liquidation_threshold_bps=r.liquidation_threshold_bps,
            liquidation_bonus_bps=r.liquidation_bonus_bps,
        )

    def _feed_factory(self):
        """Aave reads the same Chainlink-style feeds as Strata (MockAggregatorV3, 8 decimals), when this checkout
        has them; otherwise Aave's own MockAggregator."""
        if "MockAggregatorV3" not in getattr(self.project, "contracts", {}):
            return None
        return lambda answer: self.deployer.deploy(self.project.MockAggregatorV3, 8, answer)

    def setup(self) -> list[Any]:
        self.packages.check_installed()
        self.log("compiling Morpho Blue and the bench contracts with solc 0.8.19 (cached after the first run)")
        self.compiled = self.packages.compiled()
        self.view.start_clock()
        m = self.amounts
        self.loan = self._token("Bench USD", "bUSD")
        self.coll = self._token("Bench ETH", "bETH")
        self._fund(self.loan, self.actors.all())
        self._fund(self.coll, self.actors.all())

        pair = [
            Listing(self.loan, m.loan_price, borrowable=True),
            self._collateral_listing(self.coll, m.collateral_price),
        ]
        aave = AaveV3Adapter(self.packages, self.deployer, self.treasury, self.risk, self._feed_factory())
        self.log("deploying Aave V3 from @aave/core-v3 artifacts")
        aave.deploy(pair)
        morpho = MorphoBlueAdapter(
            self.compiled, self.deployer, self.risk, self.packages.package_version(MORPHO_PACKAGE)
        )
        self.log("deploying Morpho Blue")
        morpho.deploy(self.loan, m.loan_price, self.coll, m.collateral_price)

        adapters: list[Any] = []
        reason = unavailable_reason(self.project)
        if reason:
            self.notes.append(reason)
            self.log(reason)
        else:
            self.log("deploying Strata with strata.protocol.deploy_protocol")
            strata = StrataAdapter(self.project, self.chain, self.strata_deployer, self.treasury, self.risk)
            strata.deploy(pair)
            adapters.append(strata)
        adapters += [aave, morpho]
        for adapter in adapters:
            adapter.deploy_flash_receiver(self.compiled, [self.loan, self.coll])
            adapter.approve_all(self.actors.all(), [self.loan, self.coll])
            self._fund(self.loan, [adapter.flash_receiver()], FLASH_RECEIVER_FUNDING)
        return adapters

    # -- the run -------------------------------------------------------------------------------------------

    def run(self, options: BenchOptions = BenchOptions()) -> BenchResult:
        if options.token not in TOKEN_KINDS:
            raise ValueError(f"token kind {options.token!r} is not one of {TOKEN_KINDS}")
        self.options = options
        self.notes: list[str] = []
        adapters = self.setup()
        anvil = self.view.node_version()
        base = Snapshots(self.chain)
        operations: dict[str, dict[str, int | None]] = {key: {} for key in OPERATION_KEYS}
        for adapter in adapters:
            base.restore()
            gas = ScenarioRun(
                adapter, self.view, self.loan, self.coll, self.actors, self.amounts, log=self.log
            ).run()
            for key, value in gas.items():
                operations[key][adapter.key] = value
        for key in OPERATION_KEYS:
            operations[key].setdefault("strata", None)

        growth: dict[int, dict[str, dict[str, int] | None]] = {}
        if options.growth:
            base.restore()
            growth = self._growth([a for a in adapters if a.supports_multi_collateral], options.collateral_counts)
        return BenchResult(
            anvil=anvil,
            operations=operations,
            growth=growth,
            protocols={a.key: a.describe() for a in adapters},
            notes=self.notes,
            token=options.token,
        )

    def _growth(self, adapters: list[Any], counts: tuple[int, ...]) -> dict[int, dict[str, dict[str, int] | None]]:
        g = GrowthAmounts()
        extras = [
            self._token(f"Bench collateral {i:02d}", f"bC{i:02d}", self.minter) for i in range(1, max(counts))
        ]
        self._fund(self.coll, [self.actors.borrower])
        for token in extras:
            self._fund(token, [self.actors.borrower])
        for adapter in adapters:
            for token in extras:
                adapter.list_collateral(self._collateral_listing(token, g.extra_price))
            adapter.approve_all([self.actors.borrower], extras)
        listed = Snapshots(self.chain)
        growth: dict[int, dict[str, dict[str, int] | None]] = {}
        for n in counts:
            growth[n] = {"strata": None, "aave_v3": None}
            for adapter in adapters:
                listed.restore()
                run = GrowthRun(
                    adapter,
                    self.view,
                    self.loan,
                    self.coll,
                    extras,
                    self.actors,
                    g,
                    main_price=self.amounts.collateral_price,
                    log=self.log,
                )
                growth[n][adapter.key] = run.run(n)
        return growth


__all__ = ["Bench", "BenchOptions", "BenchResult"]
