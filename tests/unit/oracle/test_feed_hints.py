"""Bound hints (FeedPacking): a price read uses the feed word alone when the price is inside the bounds rounded
inwards; the exact bounds stay the rule at every edge, in version 1 and version 2 of the oracle alike."""

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak

ONE_HOUR = 3_600
WAD = 10**18
PRICE_ORACLE_STORAGE_LOCATION = 0x807B48758E31286B1F9703DD7D21A257E8B0DAE15751EFB80B334A779293E100
HINTS_MASK = ((1 << 56) - 1) << 200

# Bounds with more significant digits than a hint holds (21-bit mantissa): the hints differ from them.
MIN_PRICE = 1_234_567_890_123_456_789  # $1.234567890123456789
MAX_PRICE = 987_654_321_987_654_321_987  # $987.654321987654321987


@pytest.fixture(scope="module", params=["PriceOracle", "PriceOracleV2"])
def any_oracle(request, project, deployer, registry):
    impl = deployer.deploy(getattr(project, request.param))
    proxy = deployer.deploy(project.ModuleProxy, impl, impl.initialize.encode_input(registry))
    return getattr(project, request.param).at(proxy.address)


@pytest.fixture
def wad_feed(create_feed):
    return create_feed(18, 100 * WAD)


@pytest.fixture
def priced(any_oracle, governance, weth, wad_feed):
    any_oracle.setFeed(weth, wad_feed, ONE_HOUR, MIN_PRICE, MAX_PRICE, sender=governance)
    return any_oracle


def _feed_slot(asset) -> int:
    return int.from_bytes(keccak(encode(["address", "uint256"], [asset.address, PRICE_ORACLE_STORAGE_LOCATION])), "big")


def _read_word(chain, contract, slot) -> int:
    return int.from_bytes(bytes(chain.provider.get_storage(contract.address, slot)), "big")


@pytest.mark.parametrize("answer", [MIN_PRICE, MIN_PRICE + 1, 100 * WAD, MAX_PRICE - 1, MAX_PRICE])
def test_get_asset_price__inside_exact_bounds__accepted(priced, deployer, weth, wad_feed, answer):
    wad_feed.setAnswer(answer, sender=deployer)
    assert priced.getAssetPrice(weth) == answer


@pytest.mark.parametrize("answer", [MIN_PRICE - 1, MAX_PRICE + 1], ids=["one_below_min", "one_above_max"])
def test_get_asset_price__one_wei_outside_exact_bounds__reverts(priced, deployer, weth, wad_feed, answer):
    # Within a millionth of a bound: the hints cannot decide, the exact bounds do.
    wad_feed.setAnswer(answer, sender=deployer)
    with ape.reverts(
        priced.PriceOraclePriceOutOfBounds, asset=weth.address, priceWad=answer, minPriceWad=MIN_PRICE,
        maxPriceWad=MAX_PRICE,
    ):
        priced.getAssetPrice(weth)


def test_get_feed__awkward_bounds__returned_exactly(priced, weth, wad_feed):
    cfg = priced.getFeed(weth)
    assert (cfg.feed, cfg.heartbeat, cfg.decimals) == (wad_feed.address, ONE_HOUR, 18)
    assert (cfg.minPriceWad, cfg.maxPriceWad) == (MIN_PRICE, MAX_PRICE)


def test_set_feed__hints__packed_in_the_feed_word_and_never_zero(priced, chain, weth, wad_feed):
    word = _read_word(chain, priced, _feed_slot(weth))
    assert word & ((1 << 160) - 1) == int(wad_feed.address, 16)
    hints = word >> 200
    assert hints != 0
    # Decoded, the hints lie inside the exact bounds (min rounded up, max rounded down) and within 2**-20 of them.
    decode = lambda h: (h & ((1 << 21) - 1)) << (h >> 21)  # noqa: E731
    low, high = decode(hints >> 28), decode(hints & ((1 << 28) - 1))
    assert MIN_PRICE <= low <= MIN_PRICE * (1 + 2**-20)
    assert MAX_PRICE * (1 - 2**-20) <= high <= MAX_PRICE


def test_get_asset_price__word_without_hints__exact_bounds_still_enforced(priced, chain, deployer, weth, wad_feed):
    # A feed word written without hints (zero bits) must fall back to the bounds' word for every price.
    slot = _feed_slot(weth)
    word = _read_word(chain, priced, slot) & ~HINTS_MASK
    # Anvil and Hardhat both write storage directly, each under its own method name.
    method = "hardhat_setStorageAt" if chain.provider.name == "hardhat" else "anvil_setStorageAt"
    chain.provider.make_request(method, [priced.address, hex(slot), "0x" + word.to_bytes(32, "big").hex()])
    assert priced.getAssetPrice(weth) == 100 * WAD
    wad_feed.setAnswer(MAX_PRICE + 1, sender=deployer)
    with ape.reverts(priced.PriceOraclePriceOutOfBounds, priceWad=MAX_PRICE + 1):
        priced.getAssetPrice(weth)
    wad_feed.setAnswer(MIN_PRICE - 1, sender=deployer)
    with ape.reverts(priced.PriceOraclePriceOutOfBounds, priceWad=MIN_PRICE - 1):
        priced.getAssetPrice(weth)


@pytest.mark.parametrize(
    "low, high",
    [(1, 1), (2**21 - 1, 2**21), (2**21 + 1, 2**21 + 1), (WAD, WAD), (2**128 - 1, 2**128 - 1), (1, 2**128 - 1)],
    ids=["one", "mantissa_edge", "just_above_mantissa", "one_dollar", "max", "widest"],
)
def test_get_asset_price__degenerate_bounds__exact(any_oracle, governance, deployer, weth, create_feed, low, high):
    feed = create_feed(18, low)
    any_oracle.setFeed(weth, feed, ONE_HOUR, low, high, sender=governance)
    assert any_oracle.getAssetPrice(weth) == low
    feed.setAnswer(high, sender=deployer)
    assert any_oracle.getAssetPrice(weth) == high
    if low > 1:
        feed.setAnswer(low - 1, sender=deployer)
        with ape.reverts(any_oracle.PriceOraclePriceOutOfBounds, priceWad=low - 1):
            any_oracle.getAssetPrice(weth)
    if high < 2**128 - 1:
        feed.setAnswer(high + 1, sender=deployer)
        with ape.reverts(any_oracle.PriceOraclePriceOutOfBounds, priceWad=high + 1):
            any_oracle.getAssetPrice(weth)


def test_get_asset_prices__stale_feed__reverts_with_custom_error(priced, chain, governance, weth, create_token,
                                                                 create_feed):
    other = create_token("OTH", 18)
    priced.setFeed(other, create_feed(8, 10**8), ONE_HOUR, 1, 10**30, sender=governance)
    assert priced.getAssetPrices([weth, other]) == [priced.getAssetPrice(weth), WAD]
    chain.pending_timestamp = chain.blocks.head.timestamp + ONE_HOUR + 1
    chain.mine()
    with ape.reverts(priced.PriceOracleStalePrice, asset=weth.address):
        priced.getAssetPrices([weth, other])


def test_set_feed__narrower_bounds__old_hints_replaced(priced, governance, deployer, weth, wad_feed):
    # Hints of the old, wider bounds must not survive a narrowing: a price outside the new bounds is refused.
    priced.setFeed(weth, wad_feed, ONE_HOUR, 50 * WAD, 60 * WAD, sender=governance)
    wad_feed.setAnswer(100 * WAD, sender=deployer)
    with ape.reverts(priced.PriceOraclePriceOutOfBounds, priceWad=100 * WAD, minPriceWad=50 * WAD,
                     maxPriceWad=60 * WAD):
        priced.getAssetPrice(weth)
    wad_feed.setAnswer(55 * WAD, sender=deployer)
    assert priced.getAssetPrice(weth) == 55 * WAD


def test_remove_feed__clears_hints_with_the_feed(priced, chain, governance, weth):
    priced.removeFeed(weth, sender=governance)
    assert _read_word(chain, priced, _feed_slot(weth)) == 0
    with ape.reverts(priced.PriceOracleFeedNotSet, asset=weth.address):
        priced.getAssetPrice(weth)
