"""Morpho Blue (npm ``@morpho-org/morpho-blue`` 1.0.0) compiled from its sources with its pinned solc 0.8.19.

One isolated market (loan token, collateral token, ``BenchOracleMock``, ``BenchIrmMock``, LLTV). Morpho
Blue has no multi-collateral positions, so it takes no part in the growth measurement.
"""

from __future__ import annotations

from typing import Any

from eth_abi import encode
from eth_utils import keccak

from strata.bench.adapters.base import NO_DEBT_HEALTH, WAD, RiskParams
from strata.bench.artifacts import Artifact, contract_type
from strata.bench.errors import BenchSetupError

ORACLE_PRICE_SCALE = 10**36  # Morpho ConstantsLib.ORACLE_PRICE_SCALE
VIRTUAL_SHARES = 10**6  # SharesMathLib
VIRTUAL_ASSETS = 1
MAX_UINT = 2**256 - 1


def to_assets_up(shares: int, total_assets: int, total_shares: int) -> int:
    """SharesMathLib.toAssetsUp: what ``shares`` of borrow are worth, rounded up (as Morpho owes it)."""
    numerator = shares * (total_assets + VIRTUAL_ASSETS)
    denominator = total_shares + VIRTUAL_SHARES
    return (numerator + denominator - 1) // denominator


def to_assets_down(shares: int, total_assets: int, total_shares: int) -> int:
    return shares * (total_assets + VIRTUAL_ASSETS) // (total_shares + VIRTUAL_SHARES)


def market_id(params: tuple[str, str, str, str, int]) -> bytes:
    """MarketParamsLib.id: keccak256 of the ABI-encoded MarketParams."""
    return keccak(encode(["address", "address", "address", "address", "uint256"], list(params)))


class MorphoBlueAdapter:
    key = "morpho_blue"
    label = "Morpho Blue"
    supports_multi_collateral = False

    def __init__(self, compiled: dict[str, Artifact], deployer: Any, risk: RiskParams, version: str) -> None:
        self.compiled = compiled
        self.deployer = deployer
        self.risk = risk
        self.version = version
        self._prices: dict[str, int] = {}

    def deploy(self, loan: Any, loan_price: int, collateral: Any, collateral_price: int) -> None:
        d = self.deployer
        self.loan, self.collateral_token = loan, collateral
        self.morpho = d.deploy(contract_type(self.compiled["Morpho"]), d.address)
        self.irm = d.deploy(contract_type(self.compiled["BenchIrmMock"]))
        self._prices = {str(loan.address): loan_price, str(collateral.address): collateral_price}
        self.oracle = d.deploy(contract_type(self.compiled["BenchOracleMock"]), self._oracle_price())
        lltv = self.risk.liquidation_threshold_bps * WAD // 10_000
        self.morpho.enableIrm(self.irm.address, sender=d)
        self.morpho.enableLltv(lltv, sender=d)
        self.params = (
            str(loan.address),
            str(collateral.address),
            str(self.oracle.address),
            str(self.irm.address),
            lltv,
        )
        self.morpho.createMarket(self.params, sender=d)
        self.id = market_id(self.params)
        if int(self.morpho.market(self.id)[4]) == 0:  # lastUpdate is set by createMarket
            raise BenchSetupError("Morpho market was not created")

    def deploy_flash_receiver(self, compiled: dict[str, Artifact], tokens: list[Any]) -> None:
        self._flash_receiver = self.deployer.deploy(
            contract_type(compiled["MorphoFlashReceiverMock"]), self.morpho.address, [t.address for t in tokens]
        )

    def approve_all(self, users: list[Any], assets: list[Any]) -> None:
        for user in users:
            for asset in assets:
                asset.approve(self.morpho.address, MAX_UINT, sender=user)

    def _check_market(self, *assets: Any) -> None:
        expected = (self.loan.address, self.collateral_token.address)
        for asset, address in zip(assets, expected):
            if asset.address != address:
                raise BenchSetupError(f"Morpho bench market has no role for {asset.address}")

    # -- measured operations ----------------------------------------------------------------------------------

    def supply(self, user: Any, asset: Any, amount: int) -> Any:
        self._check_market(asset)
        return self.morpho.supply(self.params, amount, 0, user.address, b"", sender=user)

    def supply_collateral(self, user: Any, asset: Any, amount: int) -> Any:
        self._check_market(self.loan, asset)
        return self.morpho.supplyCollateral(self.params, amount, user.address, b"", sender=user)

    def borrow(self, user: Any, asset: Any, amount: int) -> Any:
        self._check_market(asset)
        return self.morpho.borrow(self.params, amount, 0, user.address, user.address, sender=user)

    def repay(self, user: Any, asset: Any, amount: int | None) -> Any:
        self._check_market(asset)
        if amount is None:
            # Repaying by shares is how Morpho closes a debt exactly (an amount would leave dust or overshoot).
            shares = int(self.morpho.position(self.id, user.address)[1])
            return self.morpho.repay(self.params, 0, shares, user.address, b"", sender=user)
        return self.morpho.repay(self.params, amount, 0, user.address, b"", sender=user)

    def withdraw(self, user: Any, asset: Any, amount: int) -> Any:
        self._check_market(asset)
        return self.morpho.withdraw(self.params, amount, 0, user.address, user.address, sender=user)

    def withdraw_collateral(self, user: Any, asset: Any, amount: int) -> Any:
        self._check_market(self.loan, asset)
        return self.morpho.withdrawCollateral(self.params, amount, user.address, user.address, sender=user)

    def liquidate(self, liquidator: Any, borrower: Any, collateral: Any, debt_asset: Any, debt_to_cover: int) -> Any:
        self._check_market(debt_asset, collateral)
        # Morpho takes the repaid part of a debt in shares: the same fraction of the borrower's shares.
        shares = int(self.morpho.position(self.id, borrower.address)[1])
        debt = self.debt(borrower, debt_asset)
        repaid_shares = shares * debt_to_cover // debt
        return self.morpho.liquidate(self.params, borrower.address, 0, repaid_shares, b"", sender=liquidator)

    def flash_loan(self, caller: Any, asset: Any, amount: int) -> Any:
        return self._flash_receiver.run(asset.address, amount, sender=caller)

    # -- setup and views -------------------------------------------------------------------------------------

    def _oracle_price(self) -> int:
        loan_usd = self._prices[str(self.loan.address)]
        coll_usd = self._prices[str(self.collateral_token.address)]
        # Price of one collateral base unit in loan base units, times 1e36 (Morpho's oracle convention).
        numerator = coll_usd * 10 ** int(self.loan.decimals()) * ORACLE_PRICE_SCALE
        return numerator // (loan_usd * 10 ** int(self.collateral_token.decimals()))

    def set_price(self, asset: Any, price: int) -> None:
        self._prices[str(asset.address)] = price
        self.oracle.setPrice(self._oracle_price(), sender=self.deployer)

    def _market(self) -> tuple[int, ...]:
        return tuple(int(x) for x in self.morpho.market(self.id))

    def _position(self, user: Any) -> tuple[int, int, int]:
        supply_shares, borrow_shares, collateral = self.morpho.position(self.id, user.address)
        return int(supply_shares), int(borrow_shares), int(collateral)

    def health(self, user: Any) -> int:
        _, borrow_shares, collateral = self._position(user)
        if borrow_shares == 0:
            return NO_DEBT_HEALTH
        borrowed = self.debt(user, self.loan)
        max_borrow = collateral * int(self.oracle.price()) // ORACLE_PRICE_SCALE * self.params[4] // WAD
        return max_borrow * WAD // borrowed

    def supplied(self, user: Any, asset: Any) -> int:
        self._check_market(asset)
        total_supply_assets, total_supply_shares, *_ = self._market()
        return to_assets_down(self._position(user)[0], total_supply_assets, total_supply_shares)

    def collateral(self, user: Any, asset: Any) -> int:
        self._check_market(self.loan, asset)
        return self._position(user)[2]

    def debt(self, user: Any, asset: Any) -> int:
        # Interest since the market's last update is not included (Morpho accrues on interaction).
        self._check_market(asset)
        _, _, total_borrow_assets, total_borrow_shares, _, _ = self._market()
        return to_assets_up(self._position(user)[1], total_borrow_assets, total_borrow_shares)

    def custody(self, asset: Any) -> str:
        return str(self.morpho.address)

    def flash_receiver(self) -> str:
        return str(self._flash_receiver.address)

    def flash_fee(self, asset: Any, amount: int) -> int:
        return 0

    def describe(self) -> dict[str, Any]:
        return {"package": f"@morpho-org/morpho-blue@{self.version}", "solc": "0.8.19 (via-IR, 999999 runs, paris)"}
