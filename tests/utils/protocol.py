"""The protocol object the whole suite shares: one real deployment per session, through ``strata``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strata.deployer import Deployer, chain_identity, open_record
from strata.protocol import Protocol, ProtocolConfig, deploy_protocol

# Whole STRATA the suite's voter holds after deployment: 5% of the supply, above the 4% quorum.
VOTER_STAKE = 5_000_000


@dataclass
class TestProtocol:
    deployer: Deployer
    protocol: Protocol
    config: ProtocolConfig

    @property
    def record(self) -> Any:
        return self.deployer.record


def deploy_for_tests(project: Any, chain: Any, deployer_account: Any, guardian: Any, voter: Any) -> TestProtocol:
    """Deploys with the same plan as ``ape run deploy``, keeping the record in memory only."""
    record = open_record(chain_identity(chain, chain.provider), path=None)
    deployer = Deployer(project, chain, deployer_account, record, record_file=None)
    config = ProtocolConfig(guardian=guardian.address, token_holders={voter.address: VOTER_STAKE})
    protocol = deploy_protocol(deployer, config)
    protocol.token.invoke_transaction("delegate", voter, sender=voter)
    return TestProtocol(deployer=deployer, protocol=protocol, config=config)
