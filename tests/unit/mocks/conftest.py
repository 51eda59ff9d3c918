import pytest


@pytest.fixture(scope="module")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def supplier(accounts):
    return accounts[4]


@pytest.fixture(scope="module")
def receiver(accounts):
    return accounts[5]


@pytest.fixture(scope="module")
def harness(project, deployer):
    return deployer.deploy(project.SafeERC20HarnessMock)
