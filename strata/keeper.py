"""Liquidation keeper: find unhealthy Strata positions, rank them by estimated profit, liquidate them.

How the repayment is funded is the one thing a funding strategy changes (``FundingStrategy``):

- ``InventoryFunding`` repays borrowers' debt from the keeper's own balance (approved to the pool, which pulls
  it) and receives their collateral plus the bonus. A keeper can only repay what it holds; ``Keeper.plan``
  shares the inventory out in the order of estimated profit.
- ``FlashFunding`` flash-borrows the debt asset from Strata's FlashLoanModule through the keeper's own
  ``FlashLiquidator`` executor (contracts/periphery/), which liquidates and repays the loan plus its fee in
  the same transaction, from the seized collateral when it is the debt asset, else from inventory (the
  executor's, then the keeper's wallet through an exact allowance). Nothing is swapped. Profit is counted
  after the flash fee, and a liquidation the executor could not repay is skipped with the reason.

Everything the engine will do is taken from ``previewLiquidation``, which runs the very code path that
``liquidate`` runs, so the plan is exact for the block it was read at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

WAD = 10**18
BPS = 10_000
MAX_UINT256 = 2**256 - 1

# The pool's event for a new borrow and the field naming the account that owes the debt.
BORROW_EVENT = "Borrowed"
BORROWER_FIELDS = ("onBehalfOf", "borrower", "user", "account")
# Gas limit = the node's estimate + 25%. An estimate is exact for the block it simulates; the pool's books cost
# more gas when the transaction lands in a later second than the estimate assumed (timestamps rewritten, interest
# accrued), and a liquidation one SSTORE short of gas fails as "Transaction failed" (seen on Anvil).
GAS_MARGIN_PERCENT = 125
# The keeper's flash-loan executor (contracts/periphery/FlashLiquidator.sol).
FLASH_LIQUIDATOR = "FlashLiquidator"
# Blocks per log query: public RPCs cap the range of eth_getLogs.
LOG_CHUNK = 10_000

# The four ERC-20 functions the keeper calls (a tuple: module constants stay immutable).
ERC20_ABI: tuple[dict[str, Any], ...] = (
    {
        "type": "function",
        "name": "balanceOf",
        "stateMutability": "view",
        "inputs": [{"name": "account", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "allowance",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "approve",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "spender", "type": "address"}, {"name": "amount", "type": "uint256"}],
        "outputs": [{"name": "", "type": "bool"}],
    },
    {
        "type": "function",
        "name": "symbol",
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": "string"}],
    },
)


class KeeperError(Exception):
    """A condition the operator can fix (bad address, no account, nothing to do with the given inventory)."""


# -- data ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountHealth:
    """One borrower's standing, from ``pool.getAccountData`` (USD values and health factor in WAD)."""

    borrower: str
    collateral_value: int
    debt_value: int
    health_factor: int

    @property
    def liquidatable(self) -> bool:
        return self.debt_value > 0 and self.health_factor < WAD


@dataclass(frozen=True)
class Opportunity:
    """One (borrower, debt asset, collateral asset) liquidation as the engine previews it."""

    borrower: str
    debt_asset: str
    collateral_asset: str
    requested_repay: int  # what the keeper asks to repay (its inventory, or MAX_UINT256)
    health_factor: int
    liquidation_bonus: int
    max_repay_amount: int
    repay_amount: int
    seize_amount: int
    protocol_fee_amount: int
    debt_price: int
    collateral_price: int
    collateral_exhausted: bool
    repay_value: int  # USD (WAD) the keeper pays, rounded up
    received_value: int  # USD (WAD) of the collateral the keeper receives, rounded down
    funding_fee: int = 0  # what funding the repayment costs, in debt-asset units (the flash fee; 0 from inventory)
    funding_fee_value: int = 0  # USD (WAD) of that fee, rounded up

    @property
    def received_amount(self) -> int:
        """Collateral the keeper receives (the protocol's fee stays in the pool)."""
        return self.seize_amount - self.protocol_fee_amount

    @property
    def same_asset(self) -> bool:
        """Collateral seized in the asset repaid: the seizure itself can repay a flash loan."""
        return self.debt_asset.lower() == self.collateral_asset.lower()

    @property
    def gross_profit(self) -> int:
        """Collateral received minus debt repaid, in USD (WAD) at oracle prices, before the funding fee."""
        return self.received_value - self.repay_value

    @property
    def profit(self) -> int:
        """Estimated profit in USD (WAD) before gas: collateral received minus debt repaid minus the funding fee."""
        return self.gross_profit - self.funding_fee_value


@dataclass(frozen=True)
class Outcome:
    """What happened to one opportunity."""

    opportunity: Opportunity
    status: str  # "liquidated" | "planned" (dry run) | "skipped" | "failed"
    detail: str = ""
    tx_hash: str | None = None
    gas_used: int | None = None


@dataclass
class Report:
    """The result of a keeper run."""

    borrowers_scanned: int = 0
    unhealthy_found: int = 0
    rounds: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def liquidated(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "liquidated"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def estimated_profit(self) -> int:
        return sum(o.opportunity.profit for o in self.outcomes if o.status in ("liquidated", "planned"))


@dataclass(frozen=True)
class ReserveInfo:
    asset: str
    symbol: str
    decimals: int


class Progress(Protocol):
    """What the keeper reports while it works (the script renders it with rich; tests pass nothing)."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


# -- funding ---------------------------------------------------------------------------------------------


class FundingStrategy(Protocol):
    """How the keeper pays for a liquidation. One strategy per run; the keeper calls it per liquidation."""

    label: str

    def available(self, asset: str) -> int:
        """The most of ``asset`` this strategy can offer to repay right now (MAX_UINT256 for unlimited)."""
        ...

    def fee(self, asset: str, amount: int) -> int:
        """What funding a repayment of ``amount`` costs, in ``asset`` units (0 when nothing is borrowed)."""
        ...

    def shortfall(self, keeper: "Keeper", opportunity: Opportunity) -> str | None:
        """Why this strategy cannot carry ``opportunity`` with what it has not promised yet (None: it can)."""
        ...

    def affordable(self, keeper: "Keeper", opportunity: Opportunity) -> int:
        """The largest repayment request for this pair that the strategy could carry (0: none smaller helps)."""
        ...

    def liquidate(self, keeper: "Keeper", opportunity: Opportunity) -> Any:
        """Sends the liquidation (and whatever it needs first); returns the receipt."""
        ...

    def spent(self, opportunity: Opportunity) -> None:
        """Records that a planned liquidation takes what ``opportunity`` needs."""
        ...

    def refresh(self) -> None:
        """Forgets what was planned: the next ``available`` reads the chain again (called once per round)."""
        ...


class InventoryFunding:
    """Repays from the keeper's own balance of the debt asset, approved to the pool just in time.

    ``owner`` None (a dry run without an account) means an unlimited inventory: the plan then shows what the
    engine would allow, not what a particular keeper could afford.
    """

    label = "inventory"

    def __init__(self, token_at: Callable[[str], Any], owner: str | None, sender: Any = None) -> None:
        self._token_at = token_at
        self._owner = owner
        self._sender = sender
        self._balances: dict[str, int] = {}

    def available(self, asset: str) -> int:
        if self._owner is None:
            return MAX_UINT256
        if asset not in self._balances:
            self._balances[asset] = int(self._token_at(asset).balanceOf(self._owner))
        return self._balances[asset]

    def fee(self, asset: str, amount: int) -> int:
        return 0

    def shortfall(self, keeper: "Keeper", opportunity: Opportunity) -> str | None:
        # The request never exceeds the balance (``available``): the engine caps the repayment to it.
        return None

    def affordable(self, keeper: "Keeper", opportunity: Opportunity) -> int:
        return self.available(opportunity.debt_asset)

    def spent(self, opportunity: Opportunity) -> None:
        if self._owner is not None:
            asset = opportunity.debt_asset
            self._balances[asset] = self.available(asset) - opportunity.repay_amount

    def refresh(self) -> None:
        self._balances.clear()

    def liquidate(self, keeper: "Keeper", opportunity: Opportunity) -> Any:
        if self._sender is None:
            raise KeeperError("liquidating needs an account (--account)")
        token = self._token_at(opportunity.debt_asset)
        pool_address = keeper.pool.address
        if int(token.allowance(self._sender.address, pool_address)) < opportunity.repay_amount:
            # Exact allowance: the pool never holds a standing approval from the keeper.
            token.approve(pool_address, opportunity.repay_amount, sender=self._sender)
        return send_with_gas_margin(
            keeper.engine.liquidate,
            opportunity.borrower,
            opportunity.debt_asset,
            opportunity.collateral_asset,
            opportunity.requested_repay,
            sender=self._sender,
        )


class FlashFunding:
    """Flash-borrows the debt asset from Strata's FlashLoanModule through the keeper's ``FlashLiquidator``.

    The executor borrows the repayment, liquidates, and pays back ``repay + fee`` from what it then holds (the
    seized collateral when it is the debt asset, plus any inventory left in it), pulling the rest from the
    keeper's wallet; the keeper approves the executor for exactly that rest, just in time. So the inventory a
    liquidation needs is ``repay + fee − collateral received`` for a same-asset pair and ``repay + fee``
    otherwise, and the inventory of an asset is the executor's balance plus the keeper's.

    ``flash`` is the FlashLoanModule (ape instance); ``executor`` the keeper's FlashLiquidator, or None in a
    dry run before one is deployed; ``owner`` None (a dry run without an account) means an unlimited inventory.
    """

    label = "flash loan"

    def __init__(
        self,
        flash: Any,
        executor: Any,
        token_at: Callable[[str], Any],
        owner: str | None,
        sender: Any = None,
    ) -> None:
        self.flash = flash
        self.executor = executor
        self._token_at = token_at
        self._owner = owner
        self._sender = sender
        self._liquidity: dict[str, int] = {}
        self._inventory: dict[str, int] = {}
        self._promised: dict[str, int] = {}

    # -- what a liquidation needs -------------------------------------------------------------------------

    def available(self, asset: str) -> int:
        """The pool's liquidity the module would lend (0 when flash loans are off for the asset)."""
        if asset not in self._liquidity:
            self._liquidity[asset] = int(self.flash.maxFlashLoan(asset))
        return self._liquidity[asset]

    def fee(self, asset: str, amount: int) -> int:
        return int(self.flash.flashFee(asset, amount))

    def needed(self, opportunity: Opportunity) -> int:
        """Inventory the executor must find to repay the loan: what the seizure does not cover."""
        owed = opportunity.repay_amount + opportunity.funding_fee
        covered = opportunity.received_amount if opportunity.same_asset else 0
        return max(owed - covered, 0)

    def inventory(self, asset: str) -> int:
        """The executor's plus the keeper's balance of ``asset``, less what planned liquidations take."""
        if self._owner is None:
            return MAX_UINT256
        if asset not in self._inventory:
            token = self._token_at(asset)
            held = int(token.balanceOf(self._owner))
            if self.executor is not None:
                held += int(token.balanceOf(self.executor.address))
            self._inventory[asset] = held
        return self._inventory[asset] - self._promised.get(asset, 0)

    def shortfall(self, keeper: "Keeper", opportunity: Opportunity) -> str | None:
        if opportunity.repay_amount > self.available(opportunity.debt_asset):
            return "flash loan larger than the pool's available liquidity"
        need = self.needed(opportunity)
        have = self.inventory(opportunity.debt_asset)
        if need > have:
            reserves = keeper.reserves()
            return (
                f"cannot repay the flash loan + fee: needs {format_amount(need, opportunity.debt_asset, reserves)} "
                f"of inventory, has {format_amount(have, opportunity.debt_asset, reserves)}"
            )
        return None

    def affordable(self, keeper: "Keeper", opportunity: Opportunity) -> int:
        if opportunity.same_asset:
            # The seizure scales with the repayment: a smaller one leaves the same shortfall per unit.
            return 0
        have = self.inventory(opportunity.debt_asset)
        if have == MAX_UINT256:
            return MAX_UINT256
        fee_bps = int(self.flash.flashFeeBps(opportunity.debt_asset))
        # r + ceil(r·bps/BPS) ≤ have for r = floor(have·BPS/(BPS+bps)) − 1: the −1 absorbs the fee's rounding up.
        return max(have * BPS // (BPS + fee_bps) - (1 if fee_bps else 0), 0)

    def spent(self, opportunity: Opportunity) -> None:
        asset = opportunity.debt_asset
        self._promised[asset] = self._promised.get(asset, 0) + self.needed(opportunity)

    def refresh(self) -> None:
        self._liquidity.clear()
        self._inventory.clear()
        self._promised.clear()

    # -- execution ----------------------------------------------------------------------------------------

    def liquidate(self, keeper: "Keeper", opportunity: Opportunity) -> Any:
        if self._sender is None:
            raise KeeperError("liquidating needs an account (--account)")
        if self.executor is None:
            raise KeeperError("flash liquidations need a FlashLiquidator executor (deployed by `ape run liquidate --flash`)")
        token = self._token_at(opportunity.debt_asset)
        executor = self.executor.address
        from_wallet = self.needed(opportunity) - int(token.balanceOf(executor))
        if from_wallet > 0 and int(token.allowance(self._sender.address, executor)) < from_wallet:
            # Exact allowance, as for the pool: the executor pulls only what the loan's repayment lacks.
            token.approve(executor, from_wallet, sender=self._sender)
        return send_with_gas_margin(
            self.executor.liquidate,
            opportunity.borrower,
            opportunity.debt_asset,
            opportunity.collateral_asset,
            opportunity.repay_amount,
            sender=self._sender,
        )


def send_with_gas_margin(method: Any, *args: Any, sender: Any) -> Any:
    """Sends ``method(*args)`` from ``sender`` with the node's gas estimate plus ``GAS_MARGIN_PERCENT``."""
    estimate = int(method.estimate_gas_cost(*args, sender=sender))
    return method(*args, sender=sender, gas_limit=estimate * GAS_MARGIN_PERCENT // 100)


def typed_at(project: Any, contract: str, address: str) -> Any:
    """``address`` with this project's ABI of ``contract``, whatever ape's per-network cache holds for it
    (devchains reuse addresses)."""
    from ape.contracts import ContractInstance

    return ContractInstance(address, getattr(project, contract).contract_type)


def flash_liquidator_name(owner: str) -> str:
    """The executor's name in the deployment record: one periphery contract per keeper account."""
    return f"{FLASH_LIQUIDATOR}:{owner}"


def recorded_flash_liquidator(record: Any, project: Any, provider: Any, owner: str, flash: str, engine: str) -> Any:
    """The keeper's recorded FlashLiquidator when it is on the chain and wired to ``flash`` and ``engine``."""
    entry = record.get(flash_liquidator_name(owner)) if record is not None else None
    if entry is None or len(provider.get_code(entry.address)) == 0:
        return None
    executor = typed_at(project, FLASH_LIQUIDATOR, entry.address)
    wired = (str(executor.owner()), str(executor.lender()), str(executor.engine()))
    if tuple(a.lower() for a in wired) != (owner.lower(), flash.lower(), engine.lower()):
        return None
    return executor


def ensure_flash_liquidator(deployer: Any, flash: str, engine: str) -> Any:
    """The deployer account's FlashLiquidator: the recorded one if it fits, else a new one, recorded at once.

    ``deployer`` is a ``strata.deployer.Deployer`` whose account is the keeper (the executor's owner): the entry
    is written through ``strata.records.save_record`` (atomically) as soon as the contract exists. A recorded
    executor wired to another lender or engine (a redeployed protocol) is replaced.
    """
    owner = str(deployer.account.address)
    provider = deployer.chain.provider
    existing = recorded_flash_liquidator(deployer.record, deployer.project, provider, owner, flash, engine)
    if existing is not None:
        return existing
    deployer.record.contracts.pop(flash_liquidator_name(owner), None)
    return deployer.deploy(flash_liquidator_name(owner), FLASH_LIQUIDATOR, flash, engine, owner)


# -- the keeper ------------------------------------------------------------------------------------------


def erc20_at(address: str) -> Any:
    """A minimal ERC-20 handle that does not touch ape's contract-type cache (tests keep their richer types)."""
    from ape.contracts import ContractInstance
    from ethpm_types import ContractType

    return ContractInstance(address, ContractType(abi=list(ERC20_ABI)))


def _field(obj: Any, name: str, index: int) -> Any:
    """A named output of an ape call result, whether ape returned a struct, a named tuple or a plain tuple."""
    if hasattr(obj, name):
        return getattr(obj, name)
    return obj[index]


def _borrower_of(log: Any) -> str | None:
    arguments = getattr(log, "event_arguments", None) or {}
    for name in BORROWER_FIELDS:
        if name in arguments:
            return str(arguments[name])
    return None


def _is_revert(err: Exception) -> bool:
    from ape.exceptions import ContractLogicError

    return isinstance(err, ContractLogicError)


class Keeper:
    """Scans, plans and liquidates. Holds handles and per-run caches only; no module-level state.

    ``pool`` and ``engine`` are ape contract instances (``LendingPool`` and ``LiquidationEngine`` ABIs).
    """

    def __init__(
        self,
        pool: Any,
        engine: Any,
        funding: FundingStrategy,
        *,
        token_at: Callable[[str], Any] = erc20_at,
        min_profit: int = 0,
        start_block: int = 0,
        progress: Progress | None = None,
    ) -> None:
        self.pool = pool
        self.engine = engine
        self.funding = funding
        self.min_profit = min_profit
        self.start_block = start_block
        self._token_at = token_at
        self._progress = progress or _no_progress
        self._reserves: dict[str, ReserveInfo] | None = None

    # -- discovery ---------------------------------------------------------------------------------------

    def reserves(self) -> dict[str, ReserveInfo]:
        """Listed reserves with their decimals and symbol (read once per keeper)."""
        if self._reserves is None:
            reserves: dict[str, ReserveInfo] = {}
            for asset in self.pool.getReservesList():
                asset = str(asset)
                decimals = int(_field(self.pool.getLiquidationParams(asset), "decimals", 2))
                try:
                    symbol = str(self._token_at(asset).symbol())
                except Exception:  # a token without symbol() is still liquidatable
                    symbol = asset[:10]
                reserves[asset] = ReserveInfo(asset=asset, symbol=symbol, decimals=decimals)
            self._reserves = reserves
        return self._reserves

    def borrowers(self, stop_block: int | None = None) -> list[str]:
        """Every account that ever borrowed, from the pool's borrow events, in first-seen order."""
        from ape import chain

        head = chain.blocks.height if stop_block is None else stop_block
        event = getattr(self.pool, BORROW_EVENT)
        seen: dict[str, None] = {}
        for start in range(self.start_block, head + 1, LOG_CHUNK):
            stop = min(start + LOG_CHUNK, head + 1)
            for log in event.range(start, stop):
                borrower = _borrower_of(log)
                if borrower is not None:
                    seen.setdefault(borrower, None)
            self._progress("scan blocks", stop - self.start_block, head + 1 - self.start_block)
        return list(seen)

    def health(self, borrowers: Sequence[str]) -> list[AccountHealth]:
        """Each borrower's standing at the current block."""
        result = []
        for i, borrower in enumerate(borrowers):
            data = self.pool.getAccountData(borrower)
            result.append(
                AccountHealth(
                    borrower=borrower,
                    collateral_value=int(_field(data, "collateralValue", 0)),
                    debt_value=int(_field(data, "debtValue", 1)),
                    health_factor=int(_field(data, "healthFactor", 4)),
                )
            )
            self._progress("health factors", i + 1, len(borrowers))
        return result

    # -- planning ----------------------------------------------------------------------------------------

    def preview(self, borrower: str, debt_asset: str, collateral_asset: str, repay: int) -> Opportunity | None:
        """The engine's preview of one liquidation, or None when the engine would revert."""
        try:
            liq = self.engine.previewLiquidation(borrower, debt_asset, collateral_asset, repay)
        except Exception as err:
            if _is_revert(err):
                return None
            raise
        reserves = self.reserves()
        debt_unit = 10 ** reserves[debt_asset].decimals
        collateral_unit = 10 ** reserves[collateral_asset].decimals
        repay_amount = int(liq.repayAmount)
        seize = int(liq.seizeAmount)
        fee = int(liq.protocolFeeAmount)
        debt_price = int(liq.debtPrice)
        collateral_price = int(liq.collateralPrice)
        funding_fee = self.funding.fee(debt_asset, repay_amount) if repay_amount else 0
        return Opportunity(
            borrower=borrower,
            debt_asset=debt_asset,
            collateral_asset=collateral_asset,
            requested_repay=repay,
            health_factor=int(liq.healthFactor),
            liquidation_bonus=int(liq.liquidationBonus),
            max_repay_amount=int(liq.maxRepayAmount),
            repay_amount=repay_amount,
            seize_amount=seize,
            protocol_fee_amount=fee,
            debt_price=debt_price,
            collateral_price=collateral_price,
            collateral_exhausted=bool(liq.collateralExhausted),
            repay_value=-(-repay_amount * debt_price // debt_unit),
            received_value=(seize - fee) * collateral_price // collateral_unit,
            funding_fee=funding_fee,
            funding_fee_value=-(-funding_fee * debt_price // debt_unit),
        )

    def positions_of(self, borrower: str) -> tuple[list[str], list[str]]:
        """(debt assets, collateral assets) of a borrower, through the pool's module views."""
        debts, collaterals = [], []
        for asset in self.reserves():
            supplied, borrowed, used = self.pool.getUserReserve(asset, borrower)
            if int(borrowed) > 0:
                debts.append(asset)
            if int(supplied) > 0 and bool(used):
                collaterals.append(asset)
        return debts, collaterals

    def fund(self, opportunity: Opportunity) -> tuple[Opportunity | None, str | None]:
        """``opportunity`` as the funding strategy can carry it, shrunk if it must be; else (None, why not)."""
        reason = self.funding.shortfall(self, opportunity)
        if reason is None:
            return opportunity, None
        smaller = self.funding.affordable(self, opportunity)
        if 0 < smaller < opportunity.repay_amount:
            shrunk = self.preview(opportunity.borrower, opportunity.debt_asset, opportunity.collateral_asset, smaller)
            if shrunk is not None and shrunk.repay_amount > 0 and self.funding.shortfall(self, shrunk) is None:
                return shrunk, None
        return None, reason

    def _judge(self, opportunity: Opportunity) -> tuple[Opportunity | None, str | None]:
        """Funded and profitable enough: (opportunity, None); else (None, reason or None for a silent skip)."""
        funded, reason = self.fund(opportunity)
        if funded is None:
            return None, reason
        if funded.profit < self.min_profit:
            if funded.funding_fee and funded.gross_profit >= self.min_profit:
                return None, f"unprofitable after the {self.funding.label} fee (${funded.funding_fee_value / WAD:,.2f})"
            return None, None  # below --min-profit whatever the funding: not worth a row
        return funded, None

    def best_opportunity(self, borrower: str) -> Opportunity | None:
        """The most profitable (debt, collateral) pair for ``borrower`` that the funding can carry."""
        return self._best(borrower)[0]

    def _best(self, borrower: str) -> tuple[Opportunity | None, Outcome | None]:
        """(best fundable pair, None), or (None, the most profitable pair skipped with its reason, if any)."""
        debts, collaterals = self.positions_of(borrower)
        best: Opportunity | None = None
        skipped: Outcome | None = None
        skip_rank: tuple[bool, int] = (False, 0)
        for debt_asset in debts:
            budget = self.funding.available(debt_asset)
            if budget == 0:
                continue
            for collateral_asset in collaterals:
                opportunity = self.preview(borrower, debt_asset, collateral_asset, budget)
                if opportunity is None or opportunity.repay_amount == 0:
                    continue
                judged, reason = self._judge(opportunity)
                if judged is None:
                    # The reason shown is the most telling one: a pair the funding could carry (too little profit)
                    # before one it could not, then the more profitable.
                    rank = (self.funding.shortfall(self, opportunity) is None, opportunity.profit)
                    if reason is not None and (skipped is None or rank > skip_rank):
                        skipped, skip_rank = Outcome(opportunity, "skipped", reason), rank
                    continue
                if best is None or judged.profit > best.profit:
                    best = judged
        return best, (None if best is not None else skipped)

    def plan(self, unhealthy: Iterable[AccountHealth]) -> list[Opportunity]:
        """One opportunity per unhealthy borrower, most profitable first, within the funding available."""
        return self.plan_round(unhealthy)[0]

    def plan_round(self, unhealthy: Iterable[AccountHealth]) -> tuple[list[Opportunity], list[Outcome]]:
        """(planned opportunities, skipped ones with their reason) for one round.

        Borrowers are served in order of estimated profit; when an earlier one uses up part of an asset's
        funding, later ones are re-previewed with what is left.
        """
        accounts = list(unhealthy)
        candidates = []
        skipped: list[Outcome] = []
        for i, account in enumerate(accounts):
            opportunity, skip = self._best(account.borrower)
            if opportunity is not None:
                candidates.append(opportunity)
            elif skip is not None:
                skipped.append(skip)
            self._progress("previews", i + 1, len(accounts))
        candidates.sort(key=lambda o: o.profit, reverse=True)

        planned = []
        for opportunity in candidates:
            budget = self.funding.available(opportunity.debt_asset)
            if budget < opportunity.repay_amount:
                if budget == 0:
                    continue
                shrunk = self.preview(opportunity.borrower, opportunity.debt_asset, opportunity.collateral_asset, budget)
                if shrunk is None or shrunk.repay_amount == 0:
                    continue
                opportunity = shrunk
            judged, reason = self._judge(opportunity)
            if judged is None:
                if reason is not None:
                    skipped.append(Outcome(opportunity, "skipped", reason))
                continue
            self.funding.spent(judged)
            planned.append(judged)
        return planned, skipped

    # -- execution ---------------------------------------------------------------------------------------

    def execute(self, opportunity: Opportunity) -> Outcome:
        """Re-previews (the chain may have moved since planning), then liquidates.

        The fresh preview asks for the planned repayment, never more: the rest of the inventory is promised
        to the opportunities planned after this one.
        """
        fresh = self.preview(
            opportunity.borrower, opportunity.debt_asset, opportunity.collateral_asset, opportunity.repay_amount
        )
        if fresh is None or fresh.repay_amount == 0:
            return Outcome(opportunity, "skipped", "no longer liquidatable")
        if fresh.profit < self.min_profit:
            return Outcome(fresh, "skipped", "no longer profitable enough")
        try:
            receipt = self.funding.liquidate(self, fresh)
        except Exception as err:
            if _is_revert(err) or isinstance(err, KeeperError):
                return Outcome(fresh, "failed", str(err).strip().splitlines()[0] if str(err).strip() else repr(err))
            raise
        return Outcome(fresh, "liquidated", tx_hash=str(receipt.txn_hash), gas_used=int(receipt.gas_used))

    def run(self, *, dry_run: bool, max_rounds: int = 10, stop_block: int | None = None) -> Report:
        """Scan, plan, and (unless ``dry_run``) liquidate, round after round until nothing is left to do.

        A round liquidates each unhealthy borrower at most once; a borrower still unhealthy after a partial
        (close-factor) liquidation is picked up by the next round. A dry run plans one round and sends nothing.
        """
        report = Report()
        borrowers = self.borrowers(stop_block)
        report.borrowers_scanned = len(borrowers)
        for round_number in range(1, max_rounds + 1):
            unhealthy = [a for a in self.health(borrowers) if a.liquidatable]
            if round_number == 1:
                report.unhealthy_found = len(unhealthy)
            if not unhealthy:
                break
            self.funding.refresh()
            planned, skipped = self.plan_round(unhealthy)
            # A skip is reported once per borrower and reason, not again in every later round.
            reported = {(o.opportunity.borrower, o.detail) for o in report.outcomes if o.status == "skipped"}
            report.outcomes.extend(o for o in skipped if (o.opportunity.borrower, o.detail) not in reported)
            if not planned:
                break
            report.rounds = round_number
            if dry_run:
                report.outcomes.extend(Outcome(o, "planned") for o in planned)
                break
            for i, opportunity in enumerate(planned):
                report.outcomes.append(self.execute(opportunity))
                self._progress("liquidations", i + 1, len(planned))
            if not any(o.status == "liquidated" for o in report.outcomes[-len(planned) :]):
                break
        return report


def format_amount(raw: int, asset: str, reserves: dict[str, ReserveInfo]) -> str:
    """Base units as whole tokens with the reserve's symbol."""
    info = reserves.get(asset)
    if info is None:
        return str(raw)
    if raw == MAX_UINT256:
        return f"unlimited {info.symbol}"
    return f"{raw / 10**info.decimals:,.6f} {info.symbol}"


def iter_rows(report: Report, reserves: dict[str, ReserveInfo]) -> Iterator[dict[str, str]]:
    """Human-readable rows of a report (amounts in whole tokens, values in USD)."""
    for outcome in report.outcomes:
        o = outcome.opportunity
        yield {
            "borrower": o.borrower,
            "hf": f"{o.health_factor / WAD:.4f}",
            "repay": format_amount(o.repay_amount, o.debt_asset, reserves),
            "receive": format_amount(o.received_amount, o.collateral_asset, reserves),
            "bonus": f"{o.liquidation_bonus / WAD:.2%}",
            "fee": format_amount(o.funding_fee, o.debt_asset, reserves) if o.funding_fee else "-",
            "profit $": f"{o.profit / WAD:,.2f}",
            "status": outcome.status + (f": {outcome.detail}" if outcome.detail else ""),
            "gas": str(outcome.gas_used) if outcome.gas_used is not None else "-",
        }
