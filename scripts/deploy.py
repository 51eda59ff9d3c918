"""ape run deploy — deploy (or resume deploying) the whole Strata protocol and record it."""

from __future__ import annotations

from pathlib import Path

import click

from strata.cli import StrataCommand, console as make_console, default_record_file, friendly_errors, record_option, resolve_sender
from strata.deployer import Deployer, chain_identity, open_record
from strata.protocol import ProtocolConfig, deploy_protocol
from strata.views import module_table


@click.command(cls=StrataCommand, short_help="Deploy the protocol (idempotent, resumable)")
@click.option("--account", "account_alias", default=None, help="Sender alias (default on a devchain: test account 0).")
@click.option("--guardian", default=None, help="Guardian address (default on a devchain: test account 1).")
@record_option()
@friendly_errors
def cli(provider, account_alias: str | None, guardian: str | None, record_file: Path | None) -> None:
    """Deploy every Strata module behind its proxy, register it, and write deployments/<network>.json.

    Rerunning after an interruption continues where it stopped and never deploys a contract twice.
    """
    from ape import accounts, chain, project

    console = make_console()
    sender = resolve_sender(accounts, provider, account_alias)
    guardian = guardian or (accounts.test_accounts[1].address if provider.network.name == "local" else None)
    if guardian is None:
        raise click.ClickException("pass --guardian ADDRESS on a non-local network")
    record_file = record_file or default_record_file(provider)
    record = open_record(chain_identity(chain, provider), record_file)
    deployer = Deployer(project, chain, sender, record, record_file, log=lambda m: console.print(f"  [dim]{m}[/dim]"))
    # On a devchain one test account holds 5% of STRATA (above the 4% quorum) so that governance and upgrades
    # can be driven end to end; elsewhere the whole supply goes to the Timelock (the treasury).
    holders = {accounts.test_accounts[7].address: 5_000_000} if provider.network.name == "local" else {}
    deploy_protocol(deployer, ProtocolConfig(guardian=guardian, token_holders=holders))
    console.print(module_table(deployer.record, project, provider))
    console.print(f"record: {record_file} ({deployer.steps_taken} steps sent)")
