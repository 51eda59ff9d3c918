"""Aave V3 (npm ``@aave/core-v3`` 1.19.3, i.e. Aave V3.0.2) deployed from its compiled artifacts.

The deployment follows Aave's own procedure: PoolAddressesProvider → ACLManager → Pool implementation (its
seven logic libraries linked) behind the provider's proxy → PoolConfigurator the same way → AaveOracle over the
feeds Strata reads (MockAggregatorV3, laid out like Chainlink's OCR2 aggregator; Aave's own MockAggregator when no
feed factory is given) → aToken / stable / variable debt implementations → DefaultReserveInterestRateStrategy →
``initReserves`` and the risk parameters through the configurator, as a pool admin.
"""

from __future__ import annotations

from typing import Any, Callable

from strata.bench.adapters.base import NO_DEBT_HEALTH, Listing, RiskParams
from strata.bench.artifacts import Artifact, BenchPackages, contract_type, link_order
from strata.bench.errors import BenchSetupError

RAY = 10**27
AAVE_PRICE_UNIT = 10**8  # AaveOracle base currency unit (USD, 8 decimals, as on mainnet)
VARIABLE_RATE = 2  # DataTypes.InterestRateMode.VARIABLE
MAX_UINT = 2**256 - 1


def bps_to_ray(bps: int) -> int:
    return bps * RAY // 10_000


class AaveV3Adapter:
    key = "aave_v3"
    label = "Aave V3"
    supports_multi_collateral = True

    def __init__(
        self,
        packages: BenchPackages,
        deployer: Any,
        treasury: str,
        risk: RiskParams,
        feed_factory: Callable[[int], Any] | None = None,
    ) -> None:
        # `feed_factory(answer)` deploys a price feed (8 decimals); the runner passes Strata's MockAggregatorV3 so
        # that both protocols read the same kind of feed. Without one, Aave's own MockAggregator is used.
        self.feed_factory = feed_factory
        self.packages = packages
        self.deployer = deployer
        self.treasury = treasury
        self.risk = risk
        self.version = packages.package_version("@aave/core-v3")
        self._containers: dict[str, Any] = {}
        self._libraries: dict[str, str] = {}
        self._reserves: dict[str, dict[str, Any]] = {}
        self.pool: Any = None

    # -- deployment ------------------------------------------------------------------------------------------

    def _artifact(self, name: str) -> Artifact:
        return self.packages.aave(name)

    def _container(self, name: str) -> Any:
        if name not in self._containers:
            artifact = self._artifact(name)
            if artifact.link_references:
                for lib in link_order({n: self._artifact(n) for n in self._all_libraries(name)}, [name]):
                    if lib not in self._libraries:
                        lib_artifact = self._artifact(lib)
                        code = lib_artifact.linked(self._libraries) if lib_artifact.link_references else None
                        instance = self.deployer.deploy(contract_type(lib_artifact, code))
                        self._libraries[lib] = str(instance.address)
                self._containers[name] = contract_type(artifact, artifact.linked(self._libraries))
            else:
                self._containers[name] = contract_type(artifact)
        return self._containers[name]

    def _all_libraries(self, root: str) -> set[str]:
        seen = {root}
        todo = [root]
        while todo:
            for lib in self._artifact(todo.pop()).libraries:
                if lib not in seen:
                    seen.add(lib)
                    todo.append(lib)
        return seen

    def _deploy(self, name: str, *args: Any) -> Any:
        return self.deployer.deploy(self._container(name), *args)

    def _at(self, name: str, address: str) -> Any:
        return self._container_unlinked(name).at(address)

    def _container_unlinked(self, name: str) -> Any:
        # For talking to a deployed contract only the ABI matters.
        artifact = self._artifact(name)
        return contract_type(Artifact(artifact.name, artifact.abi, "", {}), "0x")

    def deploy(self, listings: list[Listing]) -> None:
        d = self.deployer
        provider = self._deploy("PoolAddressesProvider", "Strata bench", d.address)
        provider.setACLAdmin(d.address, sender=d)
        acl = self._deploy("ACLManager", provider.address)
        provider.setACLManager(acl.address, sender=d)
        acl.addPoolAdmin(d.address, sender=d)

        pool_impl = self._deploy("Pool", provider.address)
        pool_impl.initialize(provider.address, sender=d)  # the implementation must not be left initialisable
        provider.setPoolImpl(pool_impl.address, sender=d)
        self.pool = self._at("Pool", provider.getPool())

        configurator_impl = self._deploy("PoolConfigurator")
        configurator_impl.initialize(provider.address, sender=d)
        provider.setPoolConfiguratorImpl(configurator_impl.address, sender=d)
        self.configurator = self._at("PoolConfigurator", provider.getPoolConfigurator())

        self.oracle = self._deploy("AaveOracle", provider.address, [], [], _ZERO, _ZERO, AAVE_PRICE_UNIT)
        provider.setPriceOracle(self.oracle.address, sender=d)
        self.provider = provider
        self.acl = acl

        self.a_token_impl = self._deploy("AToken", self.pool.address)
        self.stable_debt_impl = self._deploy("StableDebtToken", self.pool.address)
        self.variable_debt_impl = self._deploy("VariableDebtToken", self.pool.address)
        r = self.risk
        self.rate_strategy = self._deploy(
            "DefaultReserveInterestRateStrategy",
            provider.address,
            bps_to_ray(r.optimal_utilization_bps),
            0,
            bps_to_ray(r.slope1_bps),
            bps_to_ray(r.slope2_bps),
            # Stable-rate parameters: stable borrowing stays disabled, they only have to be valid.
            bps_to_ray(50),
            bps_to_ray(6_000),
            bps_to_ray(100),
            bps_to_ray(800),
            bps_to_ray(2_000),
        )
        self.configurator.updateFlashloanPremiumTotal(r.flash_fee_bps, sender=d)
        for listing in listings:
            self.list_asset(listing)

    def list_asset(self, listing: Listing) -> None:
        d = self.deployer
        token = listing.token
        symbol = token.symbol()
        self.configurator.initReserves(
            [
                (
                    self.a_token_impl.address,
                    self.stable_debt_impl.address,
                    self.variable_debt_impl.address,
                    token.decimals(),
                    self.rate_strategy.address,
                    token.address,
                    self.treasury,
                    _ZERO,
                    f"Aave bench {symbol}",
                    f"a{symbol}",
                    f"Aave bench variable debt {symbol}",
                    f"variableDebt{symbol}",
                    f"Aave bench stable debt {symbol}",
                    f"stableDebt{symbol}",
                    b"",
                )
            ],
            sender=d,
        )
        self._set_source(token, listing.price)
        if listing.borrowable:
            self.configurator.setReserveBorrowing(token.address, True, sender=d)
            self.configurator.setReserveFactor(token.address, self.risk.reserve_factor_bps, sender=d)
        if listing.collateral:
            self.configurator.configureReserveAsCollateral(
                token.address,
                listing.ltv_bps,
                listing.liquidation_threshold_bps,
                10_000 + listing.liquidation_bonus_bps,
                sender=d,
            )
        self.configurator.setReserveFlashLoaning(token.address, True, sender=d)
        data = self.pool.getReserveData(token.address)
        self._reserves[str(token.address)] = {
            "a_token": self._at("AToken", data.aTokenAddress),
            "variable_debt": self._at("VariableDebtToken", data.variableDebtTokenAddress),
        }

    def list_collateral(self, listing: Listing) -> None:
        self.list_asset(listing)

    def deploy_flash_receiver(self, compiled: dict[str, Artifact], tokens: list[Any]) -> None:
        self._flash_receiver = self.deployer.deploy(
            contract_type(compiled["AaveFlashReceiverMock"]), self.pool.address, [t.address for t in tokens]
        )

    def approve_all(self, users: list[Any], assets: list[Any]) -> None:
        for user in users:
            for asset in assets:
                asset.approve(self.pool.address, MAX_UINT, sender=user)

    # -- measured operations ----------------------------------------------------------------------------------

    def supply(self, user: Any, asset: Any, amount: int) -> Any:
        return self.pool.supply(asset.address, amount, user.address, 0, sender=user)

    def supply_collateral(self, user: Any, asset: Any, amount: int) -> Any:
        # The first supply of an asset with LTV > 0 turns it on as collateral in the same call.
        return self.pool.supply(asset.address, amount, user.address, 0, sender=user)

    def borrow(self, user: Any, asset: Any, amount: int) -> Any:
        return self.pool.borrow(asset.address, amount, VARIABLE_RATE, 0, user.address, sender=user)

    def repay(self, user: Any, asset: Any, amount: int | None) -> Any:
        value = MAX_UINT if amount is None else amount
        return self.pool.repay(asset.address, value, VARIABLE_RATE, user.address, sender=user)

    def withdraw(self, user: Any, asset: Any, amount: int) -> Any:
        return self.pool.withdraw(asset.address, amount, user.address, sender=user)

    def withdraw_collateral(self, user: Any, asset: Any, amount: int) -> Any:
        return self.pool.withdraw(asset.address, amount, user.address, sender=user)

    def liquidate(self, liquidator: Any, borrower: Any, collateral: Any, debt_asset: Any, debt_to_cover: int) -> Any:
        return self.pool.liquidationCall(
            collateral.address, debt_asset.address, borrower.address, debt_to_cover, False, sender=liquidator
        )

    def flash_loan(self, caller: Any, asset: Any, amount: int) -> Any:
        return self._flash_receiver.run(asset.address, amount, sender=caller)

    # -- setup and views -------------------------------------------------------------------------------------

    def _set_source(self, token: Any, price: int) -> None:
        # A new price is a new feed, as a feed migration would be (Aave's MockAggregator has a fixed answer).
        answer = price * AAVE_PRICE_UNIT // 10**18
        feed = self.feed_factory(answer) if self.feed_factory else self._deploy("MockAggregator", answer)
        self.oracle.setAssetSources([token.address], [feed.address], sender=self.deployer)

    def set_price(self, asset: Any, price: int) -> None:
        self._set_source(asset, price)
        if self.oracle.getAssetPrice(asset.address) != price * AAVE_PRICE_UNIT // 10**18:
            raise BenchSetupError("Aave oracle did not take the new price")

    def health(self, user: Any) -> int:
        hf = int(self.pool.getUserAccountData(user.address)[5])
        return NO_DEBT_HEALTH if hf == MAX_UINT else hf

    def _reserve(self, asset: Any) -> dict[str, Any]:
        return self._reserves[str(asset.address)]

    def supplied(self, user: Any, asset: Any) -> int:
        return int(self._reserve(asset)["a_token"].balanceOf(user.address))

    def collateral(self, user: Any, asset: Any) -> int:
        return self.supplied(user, asset)

    def debt(self, user: Any, asset: Any) -> int:
        return int(self._reserve(asset)["variable_debt"].balanceOf(user.address))

    def custody(self, asset: Any) -> str:
        return str(self._reserve(asset)["a_token"].address)

    def flash_receiver(self) -> str:
        return str(self._flash_receiver.address)

    def flash_fee(self, asset: Any, amount: int) -> int:
        # FlashLoanLogic: premium = amount.percentMul(premiumTotal), percentMul rounds half up.
        premium_bps = int(self.pool.FLASHLOAN_PREMIUM_TOTAL())
        return (amount * premium_bps + 5_000) // 10_000

    def describe(self) -> dict[str, Any]:
        return {"package": f"@aave/core-v3@{self.version}", "pool_revision": int(self.pool.POOL_REVISION())}


_ZERO = "0x0000000000000000000000000000000000000000"
