"""Strata governance from the command line: ``ape run governance <command> --help``.

    ape run governance propose --governor 0x.. --account deployer \\
        --contract ModuleRegistry --target 0x.. --function setGuardian --arg 0x.. \\
        --description "Rotate the guardian" [--fast-forward --voter whale]
    ape run governance vote    --governor 0x.. --account whale --proposal-id 123 --support for
    ape run governance queue   --governor 0x.. --account whale --proposal-id 123 [--fast-forward]
    ape run governance execute --governor 0x.. --account whale --proposal-id 123 [--fast-forward]
    ape run governance status  --governor 0x.. --proposal-id 123 [--json]
    ape run governance cancel  --governor 0x.. --account guardian --proposal-id 123

Every failure is one line on stderr and a non-zero exit. The logic lives in ``strata.governance``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from ape.cli import account_option

from strata import governance as gov
from strata.cli import StrataCommand, friendly_errors


def _load_governance(governor_address: str, timelock_address: str | None = None) -> tuple[Any, Any]:
    """The Governor and Timelock contract instances this command works on.

    The single place that knows where governance lives: the deployment record of the connected network
    (``deployments/<network>.json``), with ``--governor`` / ``--timelock`` as overrides.
    """
    from ape import project

    if not governor_address:
        entry = _recorded("StrataGovernor")
        if entry is None:
            raise click.ClickException(
                "no governor: deploy first (ape run deploy), or pass --governor ADDRESS (or set STRATA_GOVERNOR)"
            )
        governor_address = entry.address
    governor = _at(project.StrataGovernor, governor_address, "governor")
    actual = str(governor.timelock())
    if timelock_address and timelock_address.lower() != actual.lower():
        raise click.ClickException(f"--timelock {timelock_address} is not the governor's timelock ({actual})")
    return governor, _at(project.StrataTimelock, actual, "timelock")


# --------------------------------------------------------------------------------------------------------------
# Shared options and error handling
# --------------------------------------------------------------------------------------------------------------


def _governance_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--timelock",
        "timelock_address",
        envvar="STRATA_TIMELOCK",
        default=None,
        help="Timelock address (optional: checked against the governor's).",
    )(fn)
    return click.option(
        "--governor",
        "governor_address",
        envvar="STRATA_GOVERNOR",
        default=None,
        help="StrataGovernor (proxy) address [env STRATA_GOVERNOR; default: from deployments/<network>.json].",
    )(fn)


def _proposal_id_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--proposal-id", "proposal_id", type=int, required=True, help="The proposal id.")(fn)


def _fast_forward_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--fast-forward", is_flag=True, default=False, help=help_text)


@click.group(help="Propose, vote, queue, execute, cancel and inspect Strata governance proposals.")
def cli() -> None:
    pass


# --------------------------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------------------------


@cli.command(cls=StrataCommand, help="Submit a proposal (one action by options, or several from --actions).")
@_governance_options
@account_option()
@click.option(
    "--contract",
    "contract_name",
    help="A recorded module by name (LendingPool, PriceOracle, …: address from the deployment record) or a project contract type with --target.",
)
@click.option("--target", help="Address of the contract to call (default: the recorded module named by --contract).")
@click.option("--function", "function_name", help="Function to call on the target.")
@click.option(
    "--arg", "args", multiple=True, help="Argument, repeatable, in order (JSON when it parses: 1, true, [..])."
)
@click.option("--value", type=int, default=0, show_default=True, help="Wei sent with the call.")
@click.option(
    "--actions",
    "actions_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON list of {"contract", "address", "function", "args", "value"} actions.',
)
@click.option("--description", required=True, help="Proposal description (part of the proposal id).")
@_fast_forward_option("Devchain only: then vote, queue and execute, mining blocks and advancing time.")
@click.option("--voter", "voters", multiple=True, help="With --fast-forward: account alias voting for (repeatable; "
              "default: the proposer). TEST::N picks a test account.")
@friendly_errors
def propose(
    governor_address: str | None,
    timelock_address: str | None,
    account: Any,
    contract_name: str | None,
    target: str | None,
    function_name: str | None,
    args: tuple[str, ...],
    value: int,
    actions_file: Path | None,
    description: str,
    fast_forward: bool,
    voters: tuple[str, ...],
) -> None:
    governor, _ = _load_governance(governor_address or "", timelock_address)
    actions = _actions_from_options(contract_name, target, function_name, args, value, actions_file)
    for action in actions:
        click.echo(f"action     {action}")
    if not fast_forward:
        if voters:
            raise click.ClickException("--voter only applies with --fast-forward")
        pid = gov.propose(governor, account, actions, description)
        click.echo(f"proposed   {pid}")
        line = gov.timeline(governor, pid)
        click.echo(f"voting     blocks {line.snapshot + 1} to {line.deadline}")
        return
    voter_accounts = [_account(alias) for alias in voters] or [account]
    result = gov.run_lifecycle(governor, account, actions, description, voters=voter_accounts, fast_forward=True)
    click.echo(f"proposed   {result.proposal_id}")
    click.echo(f"states     {' -> '.join(result.states)}")
    click.echo(f"executed   {result.receipt.txn_hash}")


@cli.command(cls=StrataCommand, help="Cast a vote on an active proposal.")
@_governance_options
@account_option()
@_proposal_id_option
@click.option("--support", default="for", show_default=True, help="for, against or abstain.")
@click.option("--reason", default="", help="Reason recorded with the vote.")
@friendly_errors
def vote(
    governor_address: str | None,
    timelock_address: str | None,
    account: Any,
    proposal_id: int,
    support: str,
    reason: str,
) -> None:
    governor, _ = _load_governance(governor_address or "", timelock_address)
    weight = gov.vote(governor, account, proposal_id, support, reason)
    click.echo(f"voted      {support} with {gov.format_tokens(weight)} votes")


@cli.command(cls=StrataCommand, help="Queue a succeeded proposal in the timelock.")
@_governance_options
@account_option()
@_proposal_id_option
@_fast_forward_option("Devchain only: first mine past the voting deadline.")
@friendly_errors
def queue(
    governor_address: str | None,
    timelock_address: str | None,
    account: Any,
    proposal_id: int,
    fast_forward: bool,
) -> None:
    governor, _ = _load_governance(governor_address or "", timelock_address)
    if fast_forward:
        gov.advance_to_block(int(governor.proposalDeadline(proposal_id)), fast_forward=True)
    eta = gov.queue(governor, account, proposal_id)
    click.echo(f"queued     executable from {gov.format_time(eta)}")


@cli.command(cls=StrataCommand, help="Execute a queued proposal whose timelock delay is over.")
@_governance_options
@account_option()
@_proposal_id_option
@_fast_forward_option("Devchain only: first advance time to the proposal's ETA.")
@friendly_errors
def execute(
    governor_address: str | None,
    timelock_address: str | None,
    account: Any,
    proposal_id: int,
    fast_forward: bool,
) -> None:
    governor, _ = _load_governance(governor_address or "", timelock_address)
    if fast_forward and (eta := int(governor.proposalEta(proposal_id))):
        gov.advance_to_timestamp(eta, fast_forward=True)
    receipt = gov.execute(governor, account, proposal_id)
    click.echo(f"executed   {receipt.txn_hash}")


@cli.command(
    cls=StrataCommand, help="Cancel: the proposer while Pending, a timelock canceller while Queued."
)
@_governance_options
@account_option()
@_proposal_id_option
@friendly_errors
def cancel(
    governor_address: str | None,
    timelock_address: str | None,
    account: Any,
    proposal_id: int,
) -> None:
    governor, _ = _load_governance(governor_address or "", timelock_address)
    where = gov.cancel(governor, account, proposal_id)
    click.echo(f"cancelled  on the {where}")


@cli.command(cls=StrataCommand, help="Show a proposal's state, votes, quorum and timeline.")
@_governance_options
@_proposal_id_option
@click.option("--json", "as_json", is_flag=True, default=False, help="Print JSON instead of text.")
@friendly_errors
def status(governor_address: str | None, timelock_address: str | None, proposal_id: int, as_json: bool) -> None:
    governor, _ = _load_governance(governor_address or "", timelock_address)
    line = gov.timeline(governor, proposal_id)
    if as_json:
        click.echo(json.dumps(line.as_dict(), default=str))
        return
    for text in line.lines():
        click.echo(text)


# --------------------------------------------------------------------------------------------------------------
# Internal
# --------------------------------------------------------------------------------------------------------------


def _actions_from_options(
    contract_name: str | None,
    target: str | None,
    function_name: str | None,
    args: tuple[str, ...],
    value: int,
    actions_file: Path | None,
) -> list[gov.Action]:
    single = any((contract_name, target, function_name, args))
    if actions_file is not None:
        if single:
            raise click.ClickException("give either --actions FILE or --contract/--target/--function, not both")
        try:
            entries = json.loads(actions_file.read_text())
        except json.JSONDecodeError as err:
            raise click.ClickException(f"{actions_file}: invalid JSON ({err.msg}, line {err.lineno})") from None
        if not isinstance(entries, list) or not entries:
            raise click.ClickException(f"{actions_file}: expected a non-empty JSON list of actions")
        actions = []
        for n, entry in enumerate(entries):
            missing = [k for k in ("contract", "address", "function") if not isinstance(entry, dict) or k not in entry]
            if missing:
                raise click.ClickException(f"{actions_file}: action {n} lacks {', '.join(missing)}")
            contract = _contract(entry["contract"], entry["address"])
            actions.append(
                gov.encode_call(contract, entry["function"], *entry.get("args", []), value=int(entry.get("value", 0)))
            )
        return actions
    if contract_name and not target:
        # A module by its record name (LendingPool, PriceOracle, …): its address comes from the deployment record.
        entry = _recorded(contract_name)
        if entry is not None:
            contract_name, target = entry.contract, entry.address
    missing = [name for name, v in (("--contract", contract_name), ("--target", target), ("--function", function_name))
               if not v]
    if missing:
        raise click.ClickException(f"missing {', '.join(missing)} (or give --actions FILE)")
    contract = _contract(contract_name or "", target or "")
    return [gov.encode_call(contract, function_name or "", *(_parse_arg(a) for a in args), value=value)]


def _recorded(name: str) -> Any:
    """The record entry ``name`` on the connected network, or None when there is no record or no such entry."""
    from ape import chain

    from strata.cli import default_record_file
    from strata.errors import RecordError
    from strata.records import load_record

    from strata.deployer import chain_identity

    try:
        record = load_record(default_record_file(chain.provider))
    except RecordError:
        return None
    identity = chain_identity(chain, chain.provider)
    if (record.chain_id, record.genesis_hash) != (identity.chain_id, identity.genesis_hash):
        return None  # a record of another (e.g. restarted dev) chain names nothing here
    return record.get(name)


def _contract(name: str, address: str) -> Any:
    from ape import project

    try:
        container = getattr(project, name)
    except AttributeError:
        raise click.ClickException(f"no contract type {name!r} in the project") from None
    return _at(container, address, name)


def _at(container: Any, address: str, what: str) -> Any:
    from ape.exceptions import ApeException

    try:
        return container.at(address)
    except (ApeException, ValueError) as err:
        raise click.ClickException(f"{what} at {address!r}: {' '.join(str(err).split())}") from None


def _account(alias: str) -> Any:
    from ape import accounts

    if alias.upper().startswith("TEST::"):
        index = alias.split("::", 1)[1]
        if not index.isdigit() or int(index) >= len(accounts.test_accounts):
            raise click.ClickException(f"no test account {alias!r}")
        return accounts.test_accounts[int(index)]
    try:
        return accounts.load(alias)
    except Exception:  # noqa: BLE001 - ape raises several types for unknown aliases
        raise click.ClickException(f"no account with alias {alias!r}") from None


def _parse_arg(raw: str) -> Any:
    """JSON when it parses (numbers, booleans, lists), else the string as given (addresses, hex).

    Numbers are parsed exactly: ``1e24`` is the integer 10**24, not a float.
    """
    try:
        value = json.loads(raw, parse_float=Decimal)
    except json.JSONDecodeError:
        return raw
    return _exact(value)


def _exact(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return value
