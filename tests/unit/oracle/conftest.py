import pytest

ONE_HOUR = 3600
ONE_DAY = 86_400
WAD = 10**18


@pytest.fixture(scope="module")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def governance(accounts):
    return accounts[1]


@pytest.fixture(scope="module")
def guardian(accounts):
    return accounts[2]


@pytest.fixture(scope="module")
def attacker(accounts):
    return accounts[3]


@pytest.fixture(scope="module")
def registry(project, deployer, governance, guardian):
    impl = deployer.deploy(project.ModuleRegistry)
    data = impl.initialize.encode_input(governance, guardian)
    proxy = deployer.deploy(project.ModuleProxy, impl, data)
    return project.ModuleRegistry.at(proxy.address)


@pytest.fixture(scope="module")
def oracle_impl(project, deployer):
    return deployer.deploy(project.PriceOracle)


@pytest.fixture(scope="module")
def oracle(project, deployer, registry, oracle_impl):
    data = oracle_impl.initialize.encode_input(registry)
    proxy = deployer.deploy(project.ModuleProxy, oracle_impl, data)
    return project.PriceOracle.at(proxy.address)


@pytest.fixture(scope="module")
def create_token(project, deployer):
    def create(symbol="TKN", decimals=18):
        return deployer.deploy(project.MockERC20, f"{symbol} token", symbol, decimals)

    return create


@pytest.fixture(scope="module")
def create_feed(project, deployer):
    def create(decimals=8, answer=2_000 * 10**8):
        return deployer.deploy(project.MockAggregatorV3, decimals, answer)

    return create


@pytest.fixture(scope="module")
def weth(create_token):
    return create_token("WETH", 18)


@pytest.fixture(scope="module")
def eth_feed(create_feed):
    # $2,000 with Chainlink's usual 8 decimals for USD pairs.
    return create_feed(8, 2_000 * 10**8)


@pytest.fixture
def configured(oracle, governance, weth, eth_feed):
    """The oracle with WETH priced by `eth_feed`, heartbeat 1 h, bounds [$1, $1,000,000]."""
    oracle.setFeed(weth, eth_feed, ONE_HOUR, 1 * WAD, 1_000_000 * WAD, sender=governance)
    return oracle
