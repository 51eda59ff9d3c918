"""Fixtures of the upgrade-pipeline tests: the session protocol with open positions, and a pipeline over a private
copy of its deployment record (each test mutates its own record; ape reverts the chain after each test)."""

from __future__ import annotations

import copy
import importlib.util
import shutil
from pathlib import Path

import pytest

from strata.upgrades.buildinfo import BuildInfoStore
from strata.upgrades.pipeline import UpgradePipeline
from tests.utils.actors import actor

ROOT = Path(__file__).resolve().parents[3]
HOUR = 3600


def load_migration(name: str):
    """A shipped upgrade script (scripts/upgrades/<name>.py) as a module: its spec is what the tests run."""
    path = ROOT / "scripts" / "upgrades" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"strata_migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def liquidation_v2():
    return load_migration("20261125_liquidation_v2")


@pytest.fixture(scope="module")
def oracle_v2():
    return load_migration("20261125_price_oracle_v2")


@pytest.fixture(scope="module")
def second_supplier(accounts):
    return actor(accounts, "second_supplier")


@pytest.fixture(scope="module")
def second_borrower(accounts):
    return actor(accounts, "second_borrower")


def copy_of_kept(folder: Path) -> BuildInfoStore:
    """A private copy of the repo's kept build-infos (the deployed versions' references); tests never write build-info/."""
    shutil.copytree(BuildInfoStore.DEFAULT_DIR, folder, dirs_exist_ok=True)
    return BuildInfoStore(folder)


@pytest.fixture(scope="module")
def build_info_store(tmp_path_factory):
    """The kept references of the deployed 1.0.0 versions, in a folder of this module's own."""
    return copy_of_kept(tmp_path_factory.mktemp("build-info"))


def make_pipeline(project, chain, accounts, record, deployer, record_file, store) -> UpgradePipeline:
    """A pipeline over a private copy of ``record``, saved to ``record_file``."""
    pipe = UpgradePipeline(project, chain, accounts, copy.deepcopy(record), record_file, deployer, store=store)
    pipe.save()
    return pipe


@pytest.fixture
def record_file(tmp_path):
    return tmp_path / "deployments" / "local.json"


@pytest.fixture
def pipeline(project, chain, accounts, strata, deployer, record_file, build_info_store):
    """A pipeline over a private copy of the session record (this test's own)."""
    return make_pipeline(project, chain, accounts, strata.record, deployer, record_file, build_info_store)


@pytest.fixture
def proposed(pipeline, oracle_v2, voter):
    """The shipped PriceOracle upgrade, prepared and proposed (Pending), nothing more."""
    prepared = oracle_v2.prepare(pipeline)
    pid = pipeline.propose(prepared, voter)
    return prepared, pid


def ape_run(chain, *args: str, timeout: int = 600):
    """``ape run`` attached to this test's node (the session protocol lives there), as a user would call it:
    ``ethereum:local:foundry`` or ``ethereum:local:hardhat``, told where the node is by ``APE_<PROVIDER>_HOST``
    (strata/compat.py gives ape-hardhat that variable)."""
    import os
    import subprocess
    import sys

    provider = chain.provider.name
    ape = Path(sys.executable).with_name("ape")
    host_variable = f"APE_{provider.upper()}_HOST"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", host_variable: chain.provider.uri}
    return subprocess.run(
        [str(ape), "run", *args, "--network", f"ethereum:local:{provider}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def whole(token, amount: float) -> int:
    return int(amount * 10 ** int(token.decimals()))


def supply(pool, token, account, amount: int) -> None:
    token.mint(account, amount, sender=account)
    token.approve(pool, amount, sender=account)
    pool.supply(token, amount, account, sender=account)


@pytest.fixture(scope="module")
def positions(chain, protocol, supplier, second_supplier, borrower, second_borrower, deployer):
    """Suppliers fund every market; two borrowers hold debt; a few hours of interest accrue."""
    pool = protocol.pool
    usdc, weth, wbtc = (protocol.assets[s] for s in ("USDC", "WETH", "WBTC"))
    for account in (supplier, second_supplier):
        supply(pool, usdc, account, whole(usdc, 200_000))
        supply(pool, weth, account, whole(weth, 100))
        supply(pool, wbtc, account, whole(wbtc, 2))
    supply(pool, weth, borrower, whole(weth, 10))
    pool.borrow(usdc, whole(usdc, 20_000), borrower, sender=borrower)
    supply(pool, wbtc, second_borrower, whole(wbtc, 1))
    pool.borrow(weth, whole(weth, 5), second_borrower, sender=second_borrower)
    chain.mine(timestamp=chain.pending_timestamp + 6 * HOUR)
    refresh_prices(protocol, deployer)
    return {"supplier": supplier, "second_supplier": second_supplier, "borrower": borrower, "second_borrower": second_borrower}


def refresh_prices(protocol, reporter) -> None:
    for feed in protocol.feeds.values():
        feed.setAnswer(feed.latestRoundData()[1], sender=reporter)
