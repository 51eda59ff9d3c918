import pytest


@pytest.fixture(scope="module")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def create_model(project, deployer):
    def create(base, slope1, optimal, slope2):
        return deployer.deploy(project.KinkedRateModel, base, slope1, optimal, slope2)

    return create
