"""Glue for the ``ape run`` scripts: one-line errors, record locations, the sending account."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from strata.compat import patch_ape_hardhat
from strata.errors import StrataError

patch_ape_hardhat()

F = TypeVar("F", bound=Callable[..., Any])


def one_line(err: BaseException) -> str:
    text = str(err).strip() or err.__class__.__name__
    return text.splitlines()[0]


def friendly_errors(func: F) -> F:
    """Turns the errors a user can cause into ``click`` errors: one line on stderr, exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ape.exceptions import ApeException

        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except StrataError as err:
            raise click.ClickException(one_line(err)) from err
        except ApeException as err:
            raise click.ClickException(f"{err.__class__.__name__}: {one_line(err)}") from err
        except (ConnectionError, OSError, TimeoutError) as err:
            raise click.ClickException(f"cannot reach the node: {one_line(err)}") from err

    return wrapper  # type: ignore[return-value]


# The module table (two addresses, ids, version, pause, record) needs ~175 columns; narrower, rich truncates headers.
MIN_CONSOLE_WIDTH = 200


def console() -> Any:
    """A rich console wide enough for addresses even when stdout is not a terminal (CI logs, pipes)."""
    import shutil

    from rich.console import Console

    columns = shutil.get_terminal_size((MIN_CONSOLE_WIDTH, 40)).columns
    return Console(width=max(columns, MIN_CONSOLE_WIDTH))


def record_option() -> Callable[[F], F]:
    return click.option(
        "--record",
        "record_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Deployment record to use (default: deployments/<network>.json).",
    )


def resolve_sender(accounts: Any, provider: Any, alias: str | None) -> Any:
    """The account that sends transactions: ``--account ALIAS`` or, on a devchain, the first test account."""
    from strata.chain import default_local_sender, is_local_network

    if alias:
        try:
            return accounts.load(alias)
        except Exception as err:
            raise StrataError(f"no account with alias '{alias}' (see `ape accounts list`)") from err
    if is_local_network(provider):
        return default_local_sender(accounts)
    raise StrataError("on a non-local network pass --account ALIAS (an account imported with `ape accounts`)")


def default_record_file(provider: Any) -> Path:
    """``deployments/<network>.json``; devchains are told apart by provider (local-foundry, local-hardhat…)."""
    from strata.records import record_path

    network = provider.network
    name = network.name
    if name == "local":
        name = f"local-{provider.name}"
    elif network.ecosystem.name != "ethereum":
        name = f"{network.ecosystem.name}-{name}"
    return record_path(name)


def _connected_command_base() -> type:
    from ape.cli import ConnectedProviderCommand

    return ConnectedProviderCommand


class StrataCommand(_connected_command_base()):  # type: ignore[misc]
    """``ConnectedProviderCommand`` whose connection failures (unreachable RPC, node that won't start) end in
    one line and exit code 1 instead of ape's traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from ape.exceptions import ApeException

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except StrataError as err:
            raise click.ClickException(one_line(err)) from err
        except ApeException as err:
            raise click.ClickException(f"{err.__class__.__name__}: {one_line(err)}") from err
        except (ConnectionError, OSError, TimeoutError) as err:
            raise click.ClickException(f"cannot reach the node: {one_line(err)}") from err
