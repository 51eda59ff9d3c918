import ape
import pytest

AMOUNT = 1_000 * 10**6


@pytest.fixture(scope="module")
def usdt(project, deployer):
    return deployer.deploy(project.NoReturnERC20Mock, "Tether USD", "USDT", 6)


@pytest.fixture(scope="module")
def fee_token(project, deployer):
    return deployer.deploy(project.FeeOnTransferERC20Mock, "Fee token", "FEE", 18, 100)  # 1%


def test_mock_erc20__constructor__sets_metadata_and_mints(project, deployer, supplier):
    token = deployer.deploy(project.MockERC20, "USD Coin", "USDC", 6)
    assert (token.name(), token.symbol(), token.decimals()) == ("USD Coin", "USDC", 6)
    token.mint(supplier, AMOUNT, sender=supplier)
    assert token.balanceOf(supplier) == AMOUNT
    token.burn(supplier, AMOUNT, sender=deployer)
    assert token.totalSupply() == 0


def test_no_return_token__safe_erc20__pull_and_push_work(usdt, harness, supplier, receiver):
    usdt.mint(supplier, AMOUNT, sender=supplier)
    for method in (usdt.approve, usdt.transfer, usdt.transferFrom):
        assert method.abis[0].outputs == []  # USDT-style: nothing to decode
    usdt.approve(harness, AMOUNT, sender=supplier)
    harness.safePull(usdt, supplier, AMOUNT, sender=supplier)
    assert usdt.balanceOf(harness) == AMOUNT
    harness.safePush(usdt, receiver, AMOUNT, sender=supplier)
    assert usdt.balanceOf(receiver) == AMOUNT
    assert usdt.balanceOf(harness) == 0


def test_no_return_token__safe_erc20__failed_transfer_reverts(usdt, harness, supplier, receiver):
    usdt.mint(harness, 1, sender=supplier)
    with ape.reverts():
        harness.safePush(usdt, receiver, 2, sender=supplier)


def test_no_return_token__bare_ierc20_call__reverts(usdt, harness, supplier, receiver):
    usdt.mint(harness, AMOUNT, sender=supplier)
    with ape.reverts():
        harness.unsafePush(usdt, receiver, AMOUNT, sender=supplier)
    assert usdt.balanceOf(receiver) == 0


def test_no_return_token__force_approve__works(usdt, harness, supplier, receiver):
    harness.safeApprove(usdt, receiver, 5, sender=supplier)
    harness.safeApprove(usdt, receiver, 7, sender=supplier)
    assert usdt.allowance(harness, receiver) == 7


def test_fee_on_transfer__transfer__receiver_gets_less(fee_token, supplier, receiver):
    fee_token.mint(supplier, 10**18, sender=supplier)
    assert fee_token.balanceOf(supplier) == 10**18  # mints are not taxed
    fee_token.transfer(receiver, 10**18, sender=supplier)
    assert fee_token.balanceOf(receiver) == 99 * 10**16
    assert fee_token.totalSupply() == 99 * 10**16


def test_fee_on_transfer__safe_pull__harness_receives_less(fee_token, harness, supplier):
    fee_token.mint(supplier, 10**18, sender=supplier)
    fee_token.approve(harness, 10**18, sender=supplier)
    harness.safePull(fee_token, supplier, 10**18, sender=supplier)
    assert fee_token.balanceOf(harness) == 99 * 10**16


def test_fee_on_transfer__fee_above_100_percent__reverts(project, deployer):
    with ape.reverts():
        deployer.deploy(project.FeeOnTransferERC20Mock, "Bad", "BAD", 18, 10_001)


def test_mock_aggregator__set_answer__new_complete_round(project, deployer, chain):
    feed = deployer.deploy(project.MockAggregatorV3, 8, 100)
    assert feed.latestRoundData()[:2] == (1, 100)
    tx = feed.setAnswer(-5, sender=deployer)
    round_id, answer, started, updated, answered = feed.latestRoundData()
    ts = chain.provider.get_block(tx.block_number).timestamp
    assert (round_id, answer, started, updated, answered) == (2, -5, ts, ts, 2)
    assert feed.getRoundData(1)[1] == 100
    assert (feed.decimals(), feed.version(), feed.description()) == (8, 4, "MOCK / USD")


def test_mock_aggregator__set_round_data__arbitrary_round(project, deployer):
    feed = deployer.deploy(project.MockAggregatorV3, 18, 1)
    feed.setRoundData(42, 7, 3, 0, 41, sender=deployer)
    assert feed.latestRoundData() == (42, 7, 3, 0, 41)
    feed.setUpdatedAt(9, sender=deployer)
    assert feed.latestRoundData()[3] == 9
