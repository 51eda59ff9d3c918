"""What every shipped upgrade script (``scripts/upgrades/<yyyymmdd>_<module>_v<N>.py``) shares: the generic
``prepare`` / ``enact`` steps of an ``UpgradeSpec`` and the ``prepare`` / ``enact`` / ``verify`` click group.
A migration file keeps only what is its own: the spec, the version and its post-conditions (``verify``)."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import click

from strata.cli import StrataCommand, console as make_console, friendly_errors, one_line, record_option
from strata.upgrades.pipeline import (
    PreparedUpgrade,
    StepResult,
    UpgradePipeline,
    UpgradeRefused,
    UpgradeSpec,
    governance_actors,
    open_pipeline,
    print_prepared,
    print_refusal,
    print_steps,
)


def prepare(spec: UpgradeSpec, pipeline: UpgradePipeline, *, dry_run: bool = False) -> PreparedUpgrade:
    return pipeline.prepare(spec, dry_run=dry_run)


def enact(spec: UpgradeSpec, pipeline: UpgradePipeline, proposer: Any, voters: Sequence[Any] = (), *,
          prepared: PreparedUpgrade | None = None, fast_forward: bool = False) -> StepResult:
    """Proposes (unless already pending) and takes every governance step that is due."""
    if pipeline.pending(spec.module) is None:
        pipeline.propose(prepared or prepare(spec, pipeline), proposer)
    return pipeline.advance(spec.module, proposer, voters=voters, fast_forward=fast_forward)


def migration_cli(spec: UpgradeSpec, version: str, verify: Callable[[UpgradePipeline], list[str]],
                  short_help: str, help_text: str) -> click.Group:
    """The ``ape run upgrades <name> prepare|enact|verify`` group of one migration."""

    @click.group(short_help=short_help, help=help_text)
    def cli() -> None:
        pass

    @cli.command("prepare", cls=StrataCommand)
    @click.option("--dry-run", is_flag=True, help="Rehearse on a snapshot and undo everything.")
    @click.option("--account", "account_alias", default=None)
    @record_option()
    @friendly_errors
    def prepare_cmd(provider, dry_run: bool, account_alias: str | None, record_file) -> None:
        """Check, deploy and rehearse the upgrade."""
        console = make_console()
        pipeline = open_pipeline(provider, record_file, account_alias)
        try:
            print_prepared(console, prepare(spec, pipeline, dry_run=dry_run))
        except UpgradeRefused as err:
            print_refusal(console, err)
            raise click.ClickException(f"refused: {one_line(err)}") from err

    @cli.command("enact", cls=StrataCommand)
    @click.option("--fast-forward", is_flag=True, help="Devchain: run the whole lifecycle now.")
    @click.option("--account", "account_alias", default=None)
    @click.option("--proposer", "proposer_alias", default=None)
    @click.option("--voter", "voter_aliases", multiple=True)
    @record_option()
    @friendly_errors
    def enact_cmd(provider, fast_forward: bool, account_alias, proposer_alias, voter_aliases, record_file) -> None:
        """Propose (once), then take the governance steps that are due."""
        console = make_console()
        pipeline = open_pipeline(provider, record_file, account_alias)
        proposer, voters = governance_actors(pipeline, provider, proposer_alias, voter_aliases)
        try:
            print_steps(console, enact(spec, pipeline, proposer, voters, fast_forward=fast_forward))
        except UpgradeRefused as err:
            print_refusal(console, err)
            raise click.ClickException(f"refused: {one_line(err)}") from err

    @cli.command("verify", cls=StrataCommand)
    @click.option("--account", "account_alias", default=None)
    @record_option()
    @friendly_errors
    def verify_cmd(provider, account_alias, record_file) -> None:
        """Check the upgrade's post-conditions on the chain."""
        problems = verify(open_pipeline(provider, record_file, account_alias))
        if problems:
            raise click.ClickException("; ".join(problems))
        make_console().print(f"{spec.module} {version}: all post-conditions hold")

    return cli
