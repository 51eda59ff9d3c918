import ape
import pytest

ONE_HOUR = 3_600
ONE_DAY = 86_400
WAD = 10**18

ZERO = "0x0000000000000000000000000000000000000000"
MAX_UINT128 = 2**128 - 1



# ---------------------------------------------------------------- initialisation / version


def test_version__proxy__is_1_0_0(oracle):
    assert oracle.version() == "1.0.0"


def test_initialize__proxy__records_registry(oracle, registry):
    assert oracle.registry() == registry.address
    assert not oracle.modulePaused()


def test_initialize__implementation__reverts(oracle_impl, registry, attacker):
    with ape.reverts(oracle_impl.InvalidInitialization):
        oracle_impl.initialize(registry, sender=attacker)


def test_initialize__proxy_twice__reverts(oracle, registry, attacker):
    with ape.reverts(oracle.InvalidInitialization):
        oracle.initialize(attacker, sender=attacker)


def test_initialize__zero_registry__reverts(project, deployer, oracle_impl):
    data = oracle_impl.initialize.encode_input(ZERO)
    with ape.reverts(oracle_impl.StrataZeroAddress):
        deployer.deploy(project.ModuleProxy, oracle_impl, data)


# ---------------------------------------------------------------- setFeed / removeFeed access


def test_set_feed__governance__stores_config_and_emits(oracle, governance, weth, eth_feed):
    tx = oracle.setFeed(weth, eth_feed, ONE_HOUR, 1 * WAD, 10**6 * WAD, sender=governance)
    cfg = oracle.getFeed(weth)
    assert cfg.feed == eth_feed.address
    assert cfg.heartbeat == ONE_HOUR
    assert cfg.decimals == 8
    assert cfg.minPriceWad == WAD
    assert cfg.maxPriceWad == 10**6 * WAD

    assert tx.events == [
        oracle.FeedSet(
            asset=weth,
            previousFeed=ZERO,
            feed=eth_feed,
            previousHeartbeat=0,
            heartbeat=ONE_HOUR,
            previousMinPriceWad=0,
            minPriceWad=WAD,
            previousMaxPriceWad=0,
            maxPriceWad=10**6 * WAD,
        )
    ]


def test_set_feed__replace__emits_old_and_new(configured, governance, weth, eth_feed, create_feed):
    new_feed = create_feed(18, 2_000 * WAD)
    tx = configured.setFeed(weth, new_feed, ONE_DAY, 2 * WAD, 3 * 10**6 * WAD, sender=governance)
    assert tx.events == [
        configured.FeedSet(
            asset=weth,
            previousFeed=eth_feed,
            feed=new_feed,
            previousHeartbeat=ONE_HOUR,
            heartbeat=ONE_DAY,
            previousMinPriceWad=WAD,
            minPriceWad=2 * WAD,
            previousMaxPriceWad=10**6 * WAD,
            maxPriceWad=3 * 10**6 * WAD,
        )
    ]
    assert configured.getFeed(weth).decimals == 18
    assert configured.getAssetPrice(weth) == 2_000 * WAD


@pytest.mark.parametrize("caller", ["attacker", "guardian", "deployer"])
def test_set_feed__not_governance__reverts(oracle, weth, eth_feed, caller, request):
    account = request.getfixturevalue(caller)
    with ape.reverts(oracle.StrataUnauthorizedGovernance, caller=account.address):
        oracle.setFeed(weth, eth_feed, ONE_HOUR, WAD, 10**6 * WAD, sender=account)


def test_set_feed__after_governance_transfer__new_governance_only(
    oracle, registry, governance, attacker, weth, eth_feed
):
    registry.transferGovernance(attacker, sender=governance)
    with ape.reverts(oracle.StrataUnauthorizedGovernance):
        oracle.setFeed(weth, eth_feed, ONE_HOUR, WAD, 10**6 * WAD, sender=governance)
    oracle.setFeed(weth, eth_feed, ONE_HOUR, WAD, 10**6 * WAD, sender=attacker)
    assert oracle.getFeed(weth).feed == eth_feed.address


def test_remove_feed__not_governance__reverts(configured, attacker, weth):
    with ape.reverts(configured.StrataUnauthorizedGovernance):
        configured.removeFeed(weth, sender=attacker)


def test_remove_feed__governance__clears_and_emits(configured, governance, weth, eth_feed):
    tx = configured.removeFeed(weth, sender=governance)
    assert tx.events == [
        configured.FeedRemoved(
            asset=weth,
            previousFeed=eth_feed,
            previousHeartbeat=ONE_HOUR,
            previousMinPriceWad=WAD,
            previousMaxPriceWad=10**6 * WAD,
        )
    ]
    assert configured.getFeed(weth).feed == ZERO
    with ape.reverts(configured.PriceOracleFeedNotSet, asset=weth.address):
        configured.getAssetPrice(weth)


def test_remove_feed__not_set__reverts(oracle, governance, weth):
    with ape.reverts(oracle.PriceOracleFeedNotSet, asset=weth.address):
        oracle.removeFeed(weth, sender=governance)


# ---------------------------------------------------------------- setFeed validation


def test_set_feed__zero_asset__reverts(oracle, governance, eth_feed):
    with ape.reverts(oracle.StrataZeroAddress):
        oracle.setFeed(ZERO, eth_feed, ONE_HOUR, WAD, 2 * WAD, sender=governance)


def test_set_feed__zero_feed__reverts(oracle, governance, weth):
    with ape.reverts(oracle.StrataZeroAddress):
        oracle.setFeed(weth, ZERO, ONE_HOUR, WAD, 2 * WAD, sender=governance)


def test_set_feed__zero_heartbeat__reverts(oracle, governance, weth, eth_feed):
    with ape.reverts(oracle.PriceOracleInvalidHeartbeat, asset=weth.address, heartbeat=0):
        oracle.setFeed(weth, eth_feed, 0, WAD, 2 * WAD, sender=governance)


@pytest.mark.parametrize(
    "min_price,max_price",
    [(0, WAD), (2 * WAD, WAD), (WAD, MAX_UINT128 + 1)],
    ids=["zero_min", "min_above_max", "max_above_uint128"],
)
def test_set_feed__bad_bounds__reverts(oracle, governance, weth, eth_feed, min_price, max_price):
    with ape.reverts(
        oracle.PriceOracleInvalidBounds, asset=weth.address, minPriceWad=min_price, maxPriceWad=max_price
    ):
        oracle.setFeed(weth, eth_feed, ONE_HOUR, min_price, max_price, sender=governance)


def test_set_feed__more_than_18_decimals__reverts(oracle, governance, weth, create_feed):
    feed = create_feed(19, 10**19)
    with ape.reverts(oracle.PriceOracleUnsupportedDecimals, feed=feed.address, decimals=19):
        oracle.setFeed(weth, feed, ONE_HOUR, WAD, 10**6 * WAD, sender=governance)


def test_set_feed__not_a_feed__reverts(oracle, governance, weth):
    # The registry has no decimals(): setFeed must fail rather than cache garbage.
    with ape.reverts():
        oracle.setFeed(weth, oracle.registry(), ONE_HOUR, WAD, 10**6 * WAD, sender=governance)


# ---------------------------------------------------------------- prices: happy path and normalisation


def test_get_asset_price__8_decimal_feed__scaled_to_wad(configured, weth):
    assert configured.getAssetPrice(weth) == 2_000 * WAD


@pytest.mark.parametrize(
    "decimals,answer,expected",
    [
        (6, 1_000_123, 1_000_123 * 10**12),  # $1.000123
        (8, 6_543_210_987_654, 6_543_210_987_654 * 10**10),  # $65,432.10987654
        (18, 1_234_567_890_123_456_789, 1_234_567_890_123_456_789),  # $1.234567890123456789
        (0, 3, 3 * WAD),
    ],
)
def test_get_asset_price__feed_decimals__normalised_exactly(
    oracle, governance, create_token, create_feed, decimals, answer, expected
):
    token = create_token("T", 6)
    feed = create_feed(decimals, answer)
    oracle.setFeed(token, feed, ONE_HOUR, 1, MAX_UINT128, sender=governance)
    assert oracle.getAssetPrice(token) == expected


def test_get_asset_price__price_update__follows_feed(configured, deployer, weth, eth_feed):
    eth_feed.setAnswer(2_500 * 10**8, sender=deployer)
    assert configured.getAssetPrice(weth) == 2_500 * WAD


def test_get_asset_prices__several_assets__in_order(oracle, governance, create_token, create_feed):
    usdc, wbtc, dai = create_token("USDC", 6), create_token("WBTC", 8), create_token("DAI", 18)
    feeds = [create_feed(8, 100_000_000), create_feed(8, 60_000 * 10**8), create_feed(18, 999 * 10**15)]
    for token, feed in zip((usdc, wbtc, dai), feeds):
        oracle.setFeed(token, feed, ONE_DAY, 1, MAX_UINT128, sender=governance)
    assert oracle.getAssetPrices([usdc, wbtc, dai]) == [WAD, 60_000 * WAD, 999 * 10**15]
    assert oracle.getAssetPrices([]) == []


def test_get_asset_prices__one_bad_asset__reverts(configured, weth, create_token):
    unknown = create_token("UNK", 18)
    with ape.reverts(configured.PriceOracleFeedNotSet, asset=unknown.address):
        configured.getAssetPrices([weth, unknown])


def test_get_asset_price__module_paused__still_reads(configured, guardian, weth):
    configured.pauseModule(sender=guardian)
    assert configured.modulePaused()
    assert configured.getAssetPrice(weth) == 2_000 * WAD


# ---------------------------------------------------------------- prices: every rejection


def test_get_asset_price__no_feed__reverts(oracle, weth):
    with ape.reverts(oracle.PriceOracleFeedNotSet, asset=weth.address):
        oracle.getAssetPrice(weth)


@pytest.mark.parametrize("answer", [0, -1, -(2_000 * 10**8)], ids=["zero", "minus_one", "negative"])
def test_get_asset_price__non_positive_answer__reverts(configured, deployer, weth, eth_feed, answer):
    eth_feed.setAnswer(answer, sender=deployer)
    with ape.reverts(configured.PriceOracleNonPositivePrice, asset=weth.address, answer=answer):
        configured.getAssetPrice(weth)


def test_get_asset_price__updated_at_zero__reverts_incomplete(configured, deployer, weth, eth_feed):
    eth_feed.setRoundData(7, 2_000 * 10**8, 0, 0, 7, sender=deployer)
    with ape.reverts(
        configured.PriceOracleIncompleteRound, asset=weth.address, roundId=7, answeredInRound=7, updatedAt=0
    ):
        configured.getAssetPrice(weth)


def test_get_asset_price__answered_in_earlier_round__reverts_incomplete(
    configured, deployer, chain, weth, eth_feed
):
    now = chain.blocks.head.timestamp
    eth_feed.setRoundData(9, 2_000 * 10**8, now, now, 8, sender=deployer)
    with ape.reverts(configured.PriceOracleIncompleteRound, asset=weth.address, roundId=9, answeredInRound=8):
        configured.getAssetPrice(weth)


def test_get_asset_price__answered_in_later_round__accepted(configured, deployer, chain, weth, eth_feed):
    now = chain.blocks.head.timestamp
    eth_feed.setRoundData(9, 2_100 * 10**8, now, now, 10, sender=deployer)
    assert configured.getAssetPrice(weth) == 2_100 * WAD


def test_get_asset_price__older_than_heartbeat__reverts_stale(configured, chain, weth, eth_feed):
    updated_at = eth_feed.latestRoundData()[3]
    chain.pending_timestamp = updated_at + ONE_HOUR + 1
    chain.mine()
    with ape.reverts(
        configured.PriceOracleStalePrice, asset=weth.address, updatedAt=updated_at, heartbeat=ONE_HOUR
    ):
        configured.getAssetPrice(weth)


def test_get_asset_price__exactly_heartbeat_old__accepted(configured, chain, weth, eth_feed):
    updated_at = eth_feed.latestRoundData()[3]
    chain.pending_timestamp = updated_at + ONE_HOUR
    chain.mine()
    assert chain.blocks.head.timestamp - updated_at == ONE_HOUR
    assert configured.getAssetPrice(weth) == 2_000 * WAD


def test_get_asset_price__timestamp_in_future__reverts(configured, deployer, chain, weth, eth_feed):
    head = chain.blocks.head.timestamp
    future = head + 10_000
    eth_feed.setUpdatedAt(future, sender=deployer)
    with ape.reverts(configured.PriceOracleFutureTimestamp, asset=weth.address, updatedAt=future):
        configured.getAssetPrice(weth)


def test_get_asset_price__below_min__reverts(configured, deployer, weth, eth_feed):
    eth_feed.setAnswer(99_999_999, sender=deployer)  # $0.99999999 < $1 floor
    with ape.reverts(
        configured.PriceOraclePriceOutOfBounds,
        asset=weth.address,
        priceWad=99_999_999 * 10**10,
        minPriceWad=WAD,
        maxPriceWad=10**6 * WAD,
    ):
        configured.getAssetPrice(weth)


def test_get_asset_price__above_max__reverts(configured, deployer, weth, eth_feed):
    eth_feed.setAnswer(10**6 * 10**8 + 1, sender=deployer)
    with ape.reverts(configured.PriceOraclePriceOutOfBounds, asset=weth.address, priceWad=(10**14 + 1) * 10**10):
        configured.getAssetPrice(weth)


def test_get_asset_price__at_bounds__accepted(configured, deployer, weth, eth_feed):
    eth_feed.setAnswer(10**8, sender=deployer)
    assert configured.getAssetPrice(weth) == WAD
    eth_feed.setAnswer(10**6 * 10**8, sender=deployer)
    assert configured.getAssetPrice(weth) == 10**6 * WAD


def test_get_asset_price__huge_answer__out_of_bounds_not_overflow(configured, deployer, weth, eth_feed):
    huge = 2**255 - 1
    eth_feed.setAnswer(huge, sender=deployer)
    with ape.reverts(configured.PriceOraclePriceOutOfBounds, asset=weth.address, priceWad=2**256 - 1):
        configured.getAssetPrice(weth)


def test_get_asset_price__feed_decimals_cached__until_set_again(configured, governance, deployer, weth, eth_feed):
    # The feed changes decimals behind the oracle's back: the cached value is used until governance re-sets it.
    eth_feed.setDecimals(18, sender=deployer)
    eth_feed.setAnswer(2_000 * WAD, sender=deployer)
    with ape.reverts(configured.PriceOraclePriceOutOfBounds):
        configured.getAssetPrice(weth)
    configured.setFeed(weth, eth_feed, ONE_HOUR, WAD, 10**6 * WAD, sender=governance)
    assert configured.getAssetPrice(weth) == 2_000 * WAD


# ---------------------------------------------------------------- upgrades


def test_upgrade__not_governance__reverts(configured, oracle_impl, attacker):
    with ape.reverts(configured.StrataUnauthorizedGovernance):
        configured.upgradeToAndCall(oracle_impl, b"", sender=attacker)


def test_upgrade__governance__keeps_feeds(configured, project, deployer, governance, weth):
    new_impl = deployer.deploy(project.PriceOracle)
    configured.upgradeToAndCall(new_impl, b"", sender=governance)
    assert configured.getAssetPrice(weth) == 2_000 * WAD
    assert configured.getFeed(weth).heartbeat == ONE_HOUR
