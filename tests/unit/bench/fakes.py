"""An in-memory lending protocol and chain for the bench's scenario logic: honest by default, broken on request.

Only the scenario's bookkeeping is under test here; the protocols themselves are measured on Anvil by
``ape run bench``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from strata.bench.adapters.base import NO_DEBT_HEALTH, WAD

BONUS_BPS = 500
LT_BPS = 8_000
LTV_BPS = 7_500
FLASH_FEE_BPS = 5
INTEREST_PER_SECOND_WAD = 2 * 10**9  # ~6% a year, simple


@dataclass(frozen=True)
class FakeAccount:
    address: str


@dataclass
class FakeReceipt:
    gas_used: int
    transfers: list[tuple[str, str, str, int]] = field(default_factory=list)  # (token, from, to, value)


class FakeToken:
    def __init__(self, symbol: str) -> None:
        self.address = f"token:{symbol}"
        self.balances: dict[str, int] = {}

    def move(self, src: str, dst: str, amount: int, receipt: FakeReceipt) -> None:
        if self.balances.get(src, 0) < amount:
            raise AssertionError(f"{src} lacks {amount} {self.address}")
        self.balances[src] -= amount
        self.balances[dst] = self.balances.get(dst, 0) + amount
        receipt.transfers.append((self.address, src, dst, amount))


class FakeChain:
    """``ChainView`` over fake tokens; ``advance`` accrues the fake protocols' interest."""

    def __init__(self) -> None:
        self.protocols: list[FakeLending] = []

    def balance(self, token: FakeToken, holder) -> int:
        address = holder if isinstance(holder, str) else holder.address
        return token.balances.get(address, 0)

    def transfers(self, receipt: FakeReceipt, token: FakeToken) -> list[tuple[str, str, int]]:
        return [(src, dst, value) for tok, src, dst, value in receipt.transfers if tok == token.address]

    def advance(self, seconds: int) -> None:
        for protocol in self.protocols:
            protocol.accrue(seconds)


class FakeLending:
    """One loan asset, any number of collateral assets; ``broken`` names the defect to simulate."""

    key = "fake"
    label = "Fake"
    supports_multi_collateral = True

    def __init__(self, chain: FakeChain, loan: FakeToken, prices: dict[str, int], broken: str = "") -> None:
        self.address = "protocol:fake"
        self.chain = chain
        self.loan = loan
        self.prices = dict(prices)
        self.broken = broken
        self.supplies: dict[str, int] = {}
        self.collaterals: dict[tuple[str, str], int] = {}
        self.debts: dict[str, int] = {}
        self.collateral_tokens: dict[str, FakeToken] = {}
        self.receiver = "receiver:fake"
        chain.protocols.append(self)

    def _receipt(self, gas: int) -> FakeReceipt:
        self.accrue(12)
        return FakeReceipt(gas_used=gas)

    def accrue(self, seconds: int) -> None:
        for user, debt in self.debts.items():
            self.debts[user] = debt + debt * INTEREST_PER_SECOND_WAD * seconds // WAD

    # measured operations
    def supply(self, user, asset, amount):
        r = self._receipt(100_000)
        asset.move(user.address, self.address, amount, r)
        if self.broken != "supply_no_credit":
            self.supplies[user.address] = self.supplies.get(user.address, 0) + amount
        return r

    def supply_collateral(self, user, asset, amount):
        r = self._receipt(90_000)
        asset.move(user.address, self.address, amount, r)
        self.collateral_tokens[asset.address] = asset
        key = (user.address, asset.address)
        self.collaterals[key] = self.collaterals.get(key, 0) + amount
        return r

    def borrow(self, user, asset, amount):
        r = self._receipt(120_000)
        self.debts[user.address] = self.debts.get(user.address, 0) + amount
        asset.move(self.address, user.address, amount, r)
        return r

    def repay(self, user, asset, amount):
        r = self._receipt(80_000)
        owed = self.debts.get(user.address, 0)
        pay = owed if amount is None else amount
        asset.move(user.address, self.address, pay, r)
        left = owed - pay
        if amount is None and self.broken == "repay_full_leaves_dust":
            left = 1
        self.debts[user.address] = left
        return r

    def withdraw(self, user, asset, amount):
        r = self._receipt(75_000)
        self.supplies[user.address] -= amount
        asset.move(self.address, user.address, amount, r)
        return r

    def withdraw_collateral(self, user, asset, amount):
        r = self._receipt(85_000)
        self.collaterals[(user.address, asset.address)] -= amount
        asset.move(self.address, user.address, amount, r)
        return r

    def liquidate(self, liquidator, borrower, collateral, debt_asset, debt_to_cover):
        r = self._receipt(150_000)
        debt_asset.move(liquidator.address, self.address, debt_to_cover, r)
        self.debts[borrower.address] -= debt_to_cover
        value = debt_to_cover * self.prices[debt_asset.address] * (10_000 + BONUS_BPS) // 10_000
        seized = value // self.prices[collateral.address]
        if self.broken == "liquidate_no_seize":
            seized = 0
        self.collaterals[(borrower.address, collateral.address)] -= seized
        collateral.move(self.address, liquidator.address, seized, r) if seized else None
        return r

    def flash_loan(self, caller, asset, amount):
        r = self._receipt(60_000)
        asset.move(self.address, self.receiver, amount, r)
        if self.broken != "flash_no_repay":
            asset.move(self.receiver, self.address, amount + self.flash_fee(asset, amount), r)
        return r

    # setup and views
    def set_price(self, asset, price):
        if self.broken != "price_ignored":
            self.prices[asset.address] = price

    def health(self, user):
        debt = self.debts.get(user.address, 0)
        if debt == 0:
            return NO_DEBT_HEALTH
        weighted = sum(
            amount * self.prices[token] * LT_BPS // 10_000
            for (owner, token), amount in self.collaterals.items()
            if owner == user.address
        )
        return weighted * WAD // (debt * self.prices[self.loan.address])

    def supplied(self, user, asset):
        return self.supplies.get(user.address, 0)

    def collateral(self, user, asset):
        return self.collaterals.get((user.address, asset.address), 0)

    def debt(self, user, asset):
        return self.debts.get(user.address, 0)

    def custody(self, asset):
        return self.address

    def flash_receiver(self):
        return self.receiver

    def flash_fee(self, asset, amount):
        return amount * FLASH_FEE_BPS // 10_000

    def approve_all(self, users, assets):
        return None

    def list_collateral(self, listing):
        self.prices[listing.token.address] = listing.price
