"""ape run demo — deploy Strata on the connected devchain and run the demo scenario."""

from __future__ import annotations

import click

from strata.cli import StrataCommand, console as make_console, default_record_file
from strata.demo import run_demo
from strata.deployer import Deployer, chain_identity, open_record


@click.command(cls=StrataCommand, short_help="Deploy and run the demo scenario")
def cli(provider) -> None:
    """Deploy the whole protocol on a devchain (Anvil by default), run the demo scenario, print the tables.

    Steps: deploy three markets and hand the protocol to the Timelock; open positions and accrue 30 days of
    interest; change a risk parameter through a governance proposal executed end to end.
    """
    from ape import accounts, chain, project

    if provider.network.name != "local":
        raise click.ClickException("the demo only runs on a local devchain (--network ethereum:local:foundry|hardhat)")
    console = make_console()
    record_file = default_record_file(provider)
    record = open_record(chain_identity(chain, provider), record_file)
    deployer = Deployer(project, chain, accounts.test_accounts[0], record, record_file, log=lambda m: console.print(f"  [dim]{m}[/dim]"))
    run_demo(project, chain, accounts, deployer, show=console.print, rule=console.rule)
    console.print(f"record: {record_file}")
