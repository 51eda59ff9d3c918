"""Brownie smoke suite: the whole protocol deployed once per test module through strata's own plan (strata.brownie_backend ->
strata.protocol.deploy_protocol, the code `ape run deploy` runs), then each test isolated by brownie's snapshot.

Run it with `make brownie-test` (Anvil) or `make brownie-test-hardhat`; ape's suite lives in tests/ and never
collects this folder. Fixtures hand out brownie's own contract objects (brownie calling convention).
"""

from __future__ import annotations

import pytest

from strata.brownie_backend import deploy, native
from strata.records import load_record

def pytest_configure(config):
    # brownie's own isolation fixtures call rpc.snapshot/revert; its mypyc build then misreads the caller and warns.
    config.addinivalue_line("filterwarnings", "ignore:rpc.*should not be called directly:FutureWarning")


# The same role -> test account mapping as tests/utils/actors.py (same mnemonic, same addresses).
ROLE_INDEX = {"deployer": 0, "guardian": 1, "supplier": 2, "borrower": 3, "liquidator": 4, "voter": 7}


@pytest.fixture(scope="module")
def deployment(module_isolation, tmp_path_factory):
    """Deploys Strata and writes its record (strata.records) to a temporary deployments/ folder.

    Module-scoped after brownie's ``module_isolation``: that fixture resets the chain to block 0 at the start and
    end of every test module, so a session-scoped deployment would be wiped under the tests.
    """
    record_file = tmp_path_factory.mktemp("deployments") / "local-brownie.json"
    result = deploy(record_file)
    assert load_record(record_file).completed
    return result


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    """Every test starts from the freshly deployed protocol (brownie's evm_snapshot / evm_revert)."""


def _role(accounts, name):
    return accounts[ROLE_INDEX[name]]


@pytest.fixture
def supplier(accounts):
    return _role(accounts, "supplier")


@pytest.fixture
def borrower(accounts):
    return _role(accounts, "borrower")


@pytest.fixture
def liquidator(accounts):
    return _role(accounts, "liquidator")


@pytest.fixture
def guardian(accounts):
    return _role(accounts, "guardian")


@pytest.fixture
def protocol(deployment):
    return deployment.protocol


@pytest.fixture
def pool(protocol):
    return native(protocol.pool)


@pytest.fixture
def engine(protocol):
    return native(protocol.liquidation)


@pytest.fixture
def flash(protocol):
    return native(protocol.flash)


@pytest.fixture
def usdc(protocol):
    return native(protocol.assets["USDC"])


@pytest.fixture
def weth(protocol):
    return native(protocol.assets["WETH"])


@pytest.fixture
def weth_feed(protocol):
    return native(protocol.feeds["WETH"])


@pytest.fixture
def fund(pool):
    """Mints `amount` of `token` to `account` and approves the pool for the account's whole balance."""

    def fund_(token, account, amount):
        token.mint(account, amount, {"from": account})
        token.approve(pool, token.balanceOf(account), {"from": account})

    return fund_


@pytest.fixture
def supply(pool, fund):
    def supply_(token, account, amount):
        fund(token, account, amount)
        pool.supply(token, amount, account, {"from": account})

    return supply_
