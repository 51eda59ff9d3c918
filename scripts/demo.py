"""ape run demo — deploy Strata on the connected devchain and run the demo scenario."""

from __future__ import annotations

import click

from strata.cli import StrataCommand, console as make_console, default_record_file, friendly_errors
from strata.deployer import Deployer, chain_identity, open_record
from strata.protocol import ProtocolConfig, deploy_protocol
from strata.views import module_table


@click.command(cls=StrataCommand, short_help="Deploy and run the demo scenario")
@friendly_errors
def cli(provider) -> None:
    """Deploy the whole protocol on a devchain (Anvil by default), run the demo scenario, print the tables."""
    from ape import accounts, chain, project

    if provider.network.name != "local":
        raise click.ClickException("the demo only runs on a local devchain (--network ethereum:local:foundry|hardhat)")
    console = make_console()
    deployer_account, guardian = accounts.test_accounts[0], accounts.test_accounts[1]
    record_file = default_record_file(provider)
    record = open_record(chain_identity(chain, provider), record_file)
    deployer = Deployer(project, chain, deployer_account, record, record_file, log=lambda m: console.print(f"  [dim]{m}[/dim]"))
    console.rule("Deploy")
    deploy_protocol(deployer, ProtocolConfig(guardian=guardian.address))
    console.print(module_table(deployer.record, project, provider))
    console.print(f"record: {record_file}")
