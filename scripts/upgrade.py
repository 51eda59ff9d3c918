"""ape run upgrade — upgrade one module through governance: check, deploy, rehearse, propose, vote, queue,
execute, verify, record."""

from __future__ import annotations

from pathlib import Path

import click

from strata.chain import is_local_network
from strata.cli import StrataCommand, console as make_console, friendly_errors, one_line, record_option
from strata.upgrades.pipeline import (
    UpgradeError,
    UpgradeRefused,
    UpgradeSpec,
    governance_actors,
    open_pipeline,
    print_prepared,
    print_refusal,
    print_steps,
)

EPILOG = """\b
Examples (devchain):
  ape run upgrade LiquidationEngine LiquidationEngineV2 --call initializeV2 --arg 1e16 --arg 9e17 --fast-forward
  ape run upgrade PriceOracle PriceOracleV2 --dry-run
  ape run upgrade LiquidationEngine --rollback --fast-forward

\b
Step by step (a real network: each step is a separate command; the pending proposal lives in the record):
  ape run upgrade PriceOracle PriceOracleV2 --account ops --network ethereum:sepolia   # check, deploy, propose
  ape run upgrade PriceOracle --continue --account ops --network ethereum:sepolia     # vote (if --account has votes)
  ape run upgrade PriceOracle --continue --account ops --network ethereum:sepolia     # after the voting period: queue
  ape run upgrade PriceOracle --continue --account ops --network ethereum:sepolia     # after the Timelock delay: execute, verify, record
Each --continue takes every step that is due and says what it waits for next.

\b
Exit codes: 0 done (or waiting for the next step), 1 refused or failed (a report is printed), 2 usage error.
A refused upgrade changes nothing: not the chain, not the record."""


@click.command(cls=StrataCommand, short_help="Upgrade a module through governance (checked and rehearsed)", epilog=EPILOG)
@click.argument("module")
@click.argument("contract", required=False)
@click.option("--call", "call", default=None, help="Reinitializer run by upgradeToAndCall (e.g. initializeV2); none: empty call data.")
@click.option("--arg", "args", multiple=True, help="Argument of --call, in order (repeatable; 1e16 and 0x… accepted).")
@click.option("--allow-change", "allowed", multiple=True, help="Invariant path (glob) the upgrade declares it changes, besides its own slot and version.")
@click.option("--waive", multiple=True, help="Safety-check problem kind to waive (listed in the report; rarely right).")
@click.option("--fast-forward", is_flag=True, help="Devchain only: mine blocks and advance time through vote, queue and execute.")
@click.option("--rollback", is_flag=True, help="Propose the return to the previous recorded implementation (history[-2]).")
@click.option("--dry-run", is_flag=True, help="Check, deploy and rehearse on a snapshot, then undo everything; propose nothing.")
@click.option("--continue", "continue_", is_flag=True, help="Take the next due steps of MODULE's pending upgrade (vote, queue, execute+verify+record).")
@click.option("--account", "account_alias", default=None, help="Sender alias (default on a devchain: test account 0).")
@click.option("--proposer", "proposer_alias", default=None, help="Proposer alias (default: a devchain account with votes, else --account).")
@click.option("--voter", "voter_aliases", multiple=True, help="Voter alias (repeatable; default: devchain accounts with votes, else --account).")
@click.option("--support", default="for", show_default=True, help="How the voters vote: for, against or abstain.")
@click.option("--rehearsed-on-fork", is_flag=True, help="A network without snapshots: skip the rehearsal, which you ran with --dry-run on a fork of it.")
@click.option("--build-info-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Kept build-infos (default: build-info/).")
@click.option("--reference-from-source", is_flag=True, help="When the deployed version's build-info is not kept, compare with the working tree's source (noted in the report) instead of refusing.")
@record_option()
@friendly_errors
def cli(
    provider, module: str, contract: str | None, call: str | None, args: tuple[str, ...], allowed: tuple[str, ...],
    waive: tuple[str, ...], fast_forward: bool, rollback: bool, dry_run: bool, continue_: bool,
    account_alias: str | None, proposer_alias: str | None, voter_aliases: tuple[str, ...], support: str,
    rehearsed_on_fork: bool, build_info_dir: Path | None, reference_from_source: bool, record_file: Path | None,
) -> None:
    """Upgrade MODULE (its record name, e.g. LiquidationEngine) to CONTRACT through the Governor.

    Check (storage layout, initializers, UUPS hooks) → deploy the implementation (recorded) → rehearse on a chain
    snapshot (invariants before/after, each user operation once) → propose upgradeToAndCall → vote → queue →
    execute → verify (EIP-1967 slot, version(), invariants) → record the new implementation in the module's history.
    """
    modes = sum(map(bool, (contract, rollback, continue_)))
    if modes != 1:
        raise click.UsageError("give exactly one of CONTRACT, --rollback or --continue")
    if args and not call:
        raise click.UsageError("--arg needs --call")
    if dry_run and continue_:
        raise click.UsageError("--dry-run applies to a new upgrade or a rollback, not to --continue")

    console = make_console()
    pipeline = open_pipeline(provider, record_file, account_alias, store_dir=build_info_dir, log=lambda m: console.print(f"  [dim]{m}[/dim]"))
    pipeline.reference_from_source = reference_from_source
    if rehearsed_on_fork:
        if is_local_network(provider):
            raise click.UsageError("--rehearsed-on-fork is for networks without snapshots; a devchain always rehearses")
        pipeline.rehearse_upgrades = False
    try:
        if continue_:
            _, voters = governance_actors(pipeline, provider, proposer_alias, voter_aliases)
            steps = pipeline.advance(module, pipeline.sender, voters=voters, support=support, fast_forward=fast_forward)
            print_steps(console, steps)
            return
        if rollback:
            prepared = pipeline.prepare_rollback(module, dry_run=dry_run)
        else:
            spec = UpgradeSpec(module, contract, call=call, args=tuple(args), allowed_changes=tuple(allowed), waive=tuple(waive))
            prepared = pipeline.prepare(spec, dry_run=dry_run)
    except UpgradeRefused as err:
        print_refusal(console, err)
        raise click.ClickException(f"refused: {one_line(err)}") from err
    print_prepared(console, prepared)
    if dry_run:
        console.print("dry run: checked and rehearsed, then undone; nothing proposed, the record is unchanged")
        return
    proposer, voters = governance_actors(pipeline, provider, proposer_alias, voter_aliases)
    pid = pipeline.propose(prepared, proposer)
    console.print(f"proposed {pid}")
    try:
        steps = pipeline.advance(prepared.module, pipeline.sender if not fast_forward else proposer, voters=voters, support=support, fast_forward=fast_forward)
    except UpgradeError as err:
        raise click.ClickException(one_line(err)) from err
    print_steps(console, steps)
