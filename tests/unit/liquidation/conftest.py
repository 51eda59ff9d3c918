"""Liquidation fixtures: a market of USDC (6 decimals), WBTC (8) and WETH (18) with liquidity, deployed once per
test module (ape isolates each test with a chain snapshot), and factories for positions.

Roles come from tests/conftest.py (deployer, guardian, supplier, borrower, liquidator, attacker, outsider,
second_borrower); ``governance`` is the deployer, who holds governance of this market's registry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

import pytest

from tests.unit.liquidation.market import Market, deploy_flash_module, deploy_market
from tests.utils.actors import actor


@pytest.fixture(scope="module", autouse=True)
def strata():
    """Overrides tests/conftest.py's full-protocol deployment for this folder: these unit tests build their own
    market (``market``, per module) and must not depend on every other module being deployable."""
    return None


@pytest.fixture(scope="module", autouse=True)
def quiet_revert_traces():
    """ape-foundry prints a call trace for every custom-error revert; rendering it re-derives every test account
    for each call frame (pure-Python key derivation), 2–6 s per revert. The revert itself and its decoded error
    are untouched: only the printout is skipped, in this folder."""
    from ape_ethereum.trace import Trace

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Trace, "show", lambda self, *args, **kwargs: None)
        yield


@pytest.fixture(scope="module")
def governance(deployer):
    return deployer


@pytest.fixture(scope="module")
def keeper_account(accounts):
    """The keeper bot's account (the role table's ``voter``: no governance runs in this folder)."""
    return actor(accounts, "voter")


@pytest.fixture(scope="module")
def second_borrower(accounts):
    return actor(accounts, "second_borrower")


@pytest.fixture(scope="module")
def third_borrower(accounts):
    return actor(accounts, "second_supplier")


@pytest.fixture(scope="module")
def market(project, governance, guardian, supplier) -> Market:
    m = deploy_market(project, governance, guardian)
    # Deep liquidity in every reserve: borrows never hit the available-liquidity limit.
    m.supply(supplier, "USDC", m["USDC"].units("10000000"))
    m.supply(supplier, "WBTC", m["WBTC"].units("200"))
    m.supply(supplier, "WETH", m["WETH"].units("5000"))
    return m


FLASH_FEE_BPS = 9


@pytest.fixture(scope="module")
def flash_module(market):
    """A FlashLoanModule over this market's pool (9 bps default fee), for the flash-funded keeper."""
    return deploy_flash_module(market, FLASH_FEE_BPS)


@pytest.fixture(scope="module")
def flash_liquidator(project, flash_module, engine, keeper_account):
    """The keeper's FlashLiquidator executor, owned by the keeper account."""
    return keeper_account.deploy(project.FlashLiquidator, flash_module, engine, keeper_account)


@pytest.fixture
def same_asset_position(market, open_position):
    """same_asset_position(account, scale="1"): WETH debt against WETH + WBTC collateral (1 WBTC + 20 WETH for 28
    WETH at scale 1, hf ≈ 1.107). A WBTC drop to $45,000 (``market.set_price("WBTC", "45000")``, after opening
    every position) brings it to ≈ 0.973: liquidating WETH debt against WETH collateral then seizes the very
    asset repaid."""

    def make(account: Any, scale: str = "1") -> Any:
        k = Decimal(scale)
        market.supply(account, "WBTC", market["WBTC"].units(k))
        open_position(account, "WETH", str(20 * k), "WETH", str(28 * k))
        return account

    return make


@pytest.fixture(scope="module")
def market_registry(market):
    """This market's own registry (tests/conftest.py's ``registry`` belongs to the shared deployment)."""
    return market.registry


@pytest.fixture(scope="module")
def pool(market):
    return market.pool


@pytest.fixture(scope="module")
def engine(market):
    return market.engine


@pytest.fixture(scope="module")
def oracle(market):
    return market.oracle


@pytest.fixture(scope="module")
def usdc(market):
    return market["USDC"]


@pytest.fixture(scope="module")
def wbtc(market):
    return market["WBTC"]


@pytest.fixture(scope="module")
def weth(market):
    return market["WETH"]


@pytest.fixture
def open_position(market) -> Callable[..., Any]:
    """open_position(account, collateral_symbol, collateral_whole_tokens, debt_symbol, debt_whole_tokens)."""

    def open_(account: Any, collateral: str, collateral_amount: str, debt: str, debt_amount: str) -> Any:
        market.open_position(
            account, collateral, market[collateral].units(collateral_amount), debt, market[debt].units(debt_amount)
        )
        return account

    return open_


@pytest.fixture
def unhealthy_position(market, open_position) -> Callable[..., int]:
    """unhealthy_position(account, collateral, collateral_amount, debt, debt_amount, hf) → the health factor reached.

    Opens the position, then moves the collateral's price so that the health factor is about ``hf``.
    """

    def make(account: Any, collateral: str, collateral_amount: str, debt: str, debt_amount: str, hf: str) -> int:
        open_position(account, collateral, collateral_amount, debt, debt_amount)
        return market.set_health_factor(account, collateral, Decimal(hf))

    return make


@pytest.fixture
def funded_liquidator(market, liquidator) -> Any:
    """The liquidator with a large inventory of every asset, each approved to the pool."""
    for symbol, asset in market.assets.items():
        market.fund(liquidator, symbol, asset.units("100000000") if symbol == "USDC" else asset.units("100000"))
    return liquidator
