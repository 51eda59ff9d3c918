"""PriceOracleV2 on its own: the fallback feed, its governance setter, and version 1's behaviour kept.

The session oracle (version 1, with three live feeds) is upgraded in place by the Timelock, as governance would.
"""

from __future__ import annotations

import ape
import pytest


WAD = 10**18
HOUR = 3600
DAY = 86_400
ZERO = "0x" + "00" * 20
PRIMARY, FALLBACK = 0, 1


@pytest.fixture(scope="module")
def oracle(project, protocol, timelock_signer, deployer):
    implementation = deployer.deploy(project.PriceOracleV2)
    protocol.oracle.upgradeToAndCall(implementation, b"", sender=timelock_signer)
    return project.PriceOracleV2.at(protocol.oracle.address)


@pytest.fixture(scope="module", autouse=True)
def module_state(oracle, fallback):
    """Module-scoped state first, before any test's own transactions (ape snapshots scope by scope)."""


@pytest.fixture(scope="module")
def weth(protocol):
    return protocol.assets["WETH"]


@pytest.fixture(scope="module")
def primary(protocol):
    return protocol.feeds["WETH"]


@pytest.fixture(scope="module")
def fallback(project, deployer):
    """A second WETH/USD source with 18 decimals (the primary has 8): prices must come out the same scale."""
    return deployer.deploy(project.MockAggregatorV3, 18, 2_990 * WAD)


@pytest.fixture
def primary_stale(chain, primary, deployer):
    """The primary's last answer is older than its 1-day heartbeat."""
    primary.setUpdatedAt(chain.pending_timestamp - DAY - HOUR, sender=deployer)


# -- upgrade ------------------------------------------------------------------------------------------------


def test_upgrade__in_place__keeps_feeds_and_prices(chain, protocol, oracle, weth, primary):
    assert oracle.version() == "2.0.0"
    assert oracle.getFeed(weth).feed == primary.address
    assert oracle.getAssetPrice(weth) == 3_000 * WAD
    assert oracle.getFallbackFeed(weth) == (ZERO, 0, 0)
    assert oracle.getPriceSource(weth) == PRIMARY


def test_initialize__bare_implementation__reverts(project, deployer, protocol):
    implementation = deployer.deploy(project.PriceOracleV2)
    with ape.reverts(implementation.InvalidInitialization):
        implementation.initialize(protocol.registry, sender=deployer)


# -- setFallbackFeed ------------------------------------------------------------------------------------------


def test_set_fallback_feed__governance__stored_and_event_has_old_and_new(oracle, weth, fallback, timelock_signer):
    receipt = oracle.setFallbackFeed(weth, fallback, 2 * HOUR, sender=timelock_signer)
    assert oracle.getFallbackFeed(weth) == (fallback.address, 2 * HOUR, 18)
    [event] = receipt.decode_logs(oracle.FallbackFeedSet)
    assert (event.asset, event.previousFeed, event.feed, event.previousHeartbeat, event.heartbeat) == (
        weth.address, ZERO, fallback.address, 0, 2 * HOUR
    )


def test_set_fallback_feed__not_governance__reverts(oracle, weth, fallback, attacker, guardian):
    for caller in (attacker, guardian):
        with ape.reverts(oracle.StrataUnauthorizedGovernance, caller=caller.address):
            oracle.setFallbackFeed(weth, fallback, HOUR, sender=caller)


def test_set_fallback_feed__asset_without_primary__reverts(oracle, fallback, timelock_signer, outsider):
    with ape.reverts(oracle.PriceOracleFeedNotSet, asset=outsider.address):
        oracle.setFallbackFeed(outsider, fallback, HOUR, sender=timelock_signer)


def test_set_fallback_feed__the_primary_itself__reverts(oracle, weth, primary, timelock_signer):
    with ape.reverts(oracle.PriceOracleFallbackIsPrimary, asset=weth.address, feed=primary.address):
        oracle.setFallbackFeed(weth, primary, HOUR, sender=timelock_signer)


def test_set_fallback_feed__zero_heartbeat__reverts(oracle, weth, fallback, timelock_signer):
    with ape.reverts(oracle.PriceOracleInvalidHeartbeat, asset=weth.address, heartbeat=0):
        oracle.setFallbackFeed(weth, fallback, 0, sender=timelock_signer)


def test_set_fallback_feed__more_than_18_decimals__reverts(project, deployer, oracle, weth, timelock_signer):
    odd = deployer.deploy(project.MockAggregatorV3, 19, 2_990 * 10**19)
    with ape.reverts(oracle.PriceOracleUnsupportedDecimals, feed=odd.address, decimals=19):
        oracle.setFallbackFeed(weth, odd, HOUR, sender=timelock_signer)


def test_set_fallback_feed__clear__zeroed_and_heartbeat_must_be_zero(oracle, weth, fallback, timelock_signer):
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    with ape.reverts(oracle.PriceOracleInvalidHeartbeat, asset=weth.address, heartbeat=HOUR):
        oracle.setFallbackFeed(weth, ZERO, HOUR, sender=timelock_signer)
    receipt = oracle.setFallbackFeed(weth, ZERO, 0, sender=timelock_signer)
    assert oracle.getFallbackFeed(weth) == (ZERO, 0, 0)
    [event] = receipt.decode_logs(oracle.FallbackFeedSet)
    assert (event.previousFeed, event.feed, event.previousHeartbeat, event.heartbeat) == (fallback.address, ZERO, HOUR, 0)


def test_set_feed__primary_equal_to_fallback__reverts(oracle, weth, fallback, timelock_signer):
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    with ape.reverts(oracle.PriceOracleFallbackIsPrimary, asset=weth.address, feed=fallback.address):
        oracle.setFeed(weth, fallback, DAY, WAD, 10**6 * WAD, sender=timelock_signer)


def test_remove_feed__with_fallback__clears_both(oracle, weth, fallback, primary, timelock_signer):
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    receipt = oracle.removeFeed(weth, sender=timelock_signer)
    assert oracle.getFeed(weth).feed == ZERO and oracle.getFallbackFeed(weth).feed == ZERO
    [removed] = receipt.decode_logs(oracle.FeedRemoved)
    [cleared] = receipt.decode_logs(oracle.FallbackFeedSet)
    assert removed.previousFeed == primary.address and (cleared.previousFeed, cleared.feed) == (fallback.address, ZERO)
    with ape.reverts(oracle.PriceOracleFeedNotSet, asset=weth.address):
        oracle.getAssetPrice(weth)


# -- prices ---------------------------------------------------------------------------------------------------


def test_get_asset_price__fresh_primary__ignores_fallback(oracle, weth, fallback, timelock_signer):
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    assert oracle.getAssetPrice(weth) == 3_000 * WAD
    assert oracle.getPriceSource(weth) == PRIMARY


def test_get_asset_price__stale_primary_fresh_fallback__fallback_price_in_wad(oracle, weth, fallback, timelock_signer, primary_stale):
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    assert oracle.getAssetPrice(weth) == 2_990 * WAD
    assert oracle.getAssetPrices([weth]) == [2_990 * WAD]
    assert oracle.getPriceSource(weth) == FALLBACK


def test_get_asset_price__stale_primary_without_fallback__reverts_as_v1(oracle, weth, primary, primary_stale):
    with ape.reverts(oracle.PriceOracleStalePrice, asset=weth.address, heartbeat=DAY):
        oracle.getAssetPrice(weth)


def test_get_asset_price__both_stale__reverts_with_fallback_staleness(chain, deployer, oracle, weth, fallback, timelock_signer, primary_stale):
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    updated = chain.pending_timestamp - 2 * HOUR
    fallback.setUpdatedAt(updated, sender=deployer)
    with ape.reverts(oracle.PriceOracleFallbackStalePrice, asset=weth.address, updatedAt=updated, heartbeat=HOUR):
        oracle.getAssetPrice(weth)


def test_get_asset_price__broken_primary__reverts_without_falling_back(deployer, oracle, weth, primary, fallback, timelock_signer):
    """A feed that answers nonsense is broken, not late: switching sources silently would hide it."""
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    primary.setAnswer(0, sender=deployer)
    with ape.reverts(oracle.PriceOracleNonPositivePrice, asset=weth.address, answer=0):
        oracle.getAssetPrice(weth)


def test_get_asset_price__fallback_outside_bounds__reverts(deployer, oracle, weth, fallback, timelock_signer, primary_stale):
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    bounds = oracle.getFeed(weth)
    fallback.setAnswer(int(bounds.maxPriceWad) + 1, sender=deployer)  # 18 decimals: the answer is the WAD price
    with ape.reverts(oracle.PriceOraclePriceOutOfBounds, asset=weth.address):
        oracle.getAssetPrice(weth)


def test_borrow__stale_primary_with_fallback__pool_keeps_pricing(protocol, oracle, weth, fallback, timelock_signer, supplier, borrower, primary_stale):
    """What the fallback is for: users can keep borrowing (and be liquidated) while a primary feed lags."""
    pool, usdc = protocol.pool, protocol.assets["USDC"]
    for account, token, amount in ((supplier, usdc, 100_000 * 10**6), (borrower, weth, 10 * WAD)):
        token.mint(account, amount, sender=account)
        token.approve(pool, amount, sender=account)
        pool.supply(token, amount, account, sender=account)
    with ape.reverts(oracle.PriceOracleStalePrice):
        pool.borrow(usdc, 1_000 * 10**6, borrower, sender=borrower)
    oracle.setFallbackFeed(weth, fallback, HOUR, sender=timelock_signer)
    pool.borrow(usdc, 1_000 * 10**6, borrower, sender=borrower)
    assert pool.getUserReserve(usdc, borrower)[1] >= 1_000 * 10**6

