"""`ape run governance`: the click group run in-process against the test chain."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ape import networks
from click.testing import CliRunner

from strata import governance as gov

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "governance.py"


def _load_script():
    # scripts/ is not a package: load the file the way `ape run` does, by path. At import time, not in a
    # fixture: a late module-scoped fixture would make ape rebase its chain snapshots.
    spec = importlib.util.spec_from_file_location("strata_script_governance", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script = _load_script()
cli = script.cli


def _on_test_chain() -> dict:
    # ConnectedProviderCommand takes an already-connected provider from ctx.obj; without it, `--network`'s
    # default would start a second Anvil (host: auto) where nothing is deployed.
    return {"provider": networks.provider}


@pytest.fixture
def run(governor, accounts):
    """Invokes a subcommand with the governor preset; returns (exit code, stdout, stderr)."""
    alias = {account.address: f"TEST::{i}" for i, account in enumerate(accounts)}

    def invoke(*args, account=None):
        argv = [*args, "--governor", governor.address]
        if account is not None:
            argv += ["--account", alias[account.address]]
        result = CliRunner(mix_stderr=False).invoke(cli, argv, obj=_on_test_chain(), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _single_action_args(registry, new_guardian, description):
    return (
        "--contract", "ModuleRegistry",
        "--target", registry.address,
        "--function", "setGuardian",
        "--arg", new_guardian.address,
        "--description", description,
    )


def test_cli_propose__fast_forward__runs_the_whole_lifecycle(run, registry, proposer, whale, new_guardian, accounts):
    whale_alias = f"TEST::{list(accounts).index(whale)}"
    code, out, err = run(
        "propose", *_single_action_args(registry, new_guardian, "CLI rotation"), "--fast-forward",
        "--voter", whale_alias, account=proposer,
    )
    assert code == 0, err
    assert "states     Pending -> Active -> Succeeded -> Queued -> Executed" in out
    assert registry.guardian() == new_guardian.address


def test_cli__step_by_step__propose_vote_queue_execute_status(run, governor, registry, proposer, whale, new_guardian):
    code, out, err = run("propose", *_single_action_args(registry, new_guardian, "CLI steps"), account=proposer)
    assert code == 0, err
    pid = int(next(line.split()[1] for line in out.splitlines() if line.startswith("proposed")))
    assert "action     ModuleRegistry.setGuardian(" in out

    gov.advance_to_block(governor.proposalSnapshot(pid), fast_forward=True)
    code, out, err = run("vote", "--proposal-id", str(pid), "--support", "for", account=whale)
    assert (code, out.strip()) == (0, "voted      for with 10,000,000 votes"), err

    code, out, err = run("queue", "--proposal-id", str(pid), "--fast-forward", account=whale)
    assert code == 0 and out.startswith("queued     executable from"), err

    code, out, err = run("status", "--proposal-id", str(pid), "--json")
    assert code == 0, err
    status = json.loads(out)
    assert status["state"] == "Queued" and status["votes"]["for"] == 10**25 and status["quorum_reached"]

    code, out, err = run("execute", "--proposal-id", str(pid), "--fast-forward", account=whale)
    assert code == 0 and out.startswith("executed"), err
    assert registry.guardian() == new_guardian.address

    code, out, _ = run("status", "--proposal-id", str(pid))
    assert "state      Executed" in out


def test_cli_cancel__guardian_on_queued__cancels_on_the_timelock(run, governor, guardian, queued_proposal):
    proposal, _ = queued_proposal
    code, out, err = run("cancel", "--proposal-id", str(proposal.proposal_id), account=guardian)
    assert (code, out.strip()) == (0, "cancelled  on the timelock"), err
    assert gov.state_name(governor, proposal.proposal_id) == "Canceled"


def test_cli_propose__actions_file__submits_every_action(run, governor, registry, timelock, proposer, guardian,
                                                         new_guardian, tmp_path):
    canceller = "0x" + gov.TIMELOCK_ROLES["CANCELLER_ROLE"].hex()
    actions = [
        {"contract": "ModuleRegistry", "address": registry.address, "function": "setGuardian",
         "args": [new_guardian.address]},
        {"contract": "StrataTimelock", "address": timelock.address, "function": "grantRole",
         "args": [canceller, new_guardian.address]},
    ]
    path = tmp_path / "actions.json"
    path.write_text(json.dumps(actions))
    code, out, err = run("propose", "--actions", str(path), "--description", "From a file", account=proposer)
    assert code == 0, err
    pid = int(next(line.split()[1] for line in out.splitlines() if line.startswith("proposed")))
    assert len(gov.load_proposal(governor, pid).actions) == 2


# --- errors: one line on stderr, exit code 1, no traceback ----------------------------------------------------


def _assert_one_line_error(code, out, err, expected):
    assert code == 1
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert expected in lines[0], lines[0]


def test_cli_propose__below_threshold__fails_in_one_line(run, registry, attacker, new_guardian):
    code, out, err = run("propose", *_single_action_args(registry, new_guardian, "No votes"), account=attacker)
    _assert_one_line_error(code, out, err, "below the proposal threshold 1,000,000")


def test_cli_queue__defeated__fails_in_one_line(run, governor, proposer, registry, new_guardian):
    pid = gov.propose(governor, proposer, [gov.encode_call(registry, "setGuardian", new_guardian)], "Alone")
    gov.advance_to_block(governor.proposalDeadline(pid), fast_forward=True)
    code, out, err = run("queue", "--proposal-id", str(pid), account=proposer)
    _assert_one_line_error(code, out, err, "is Defeated, not Succeeded: quorum not reached")


def test_cli_execute__before_eta__fails_in_one_line(run, proposer, queued_proposal):
    proposal, _ = queued_proposal
    code, out, err = run("execute", "--proposal-id", str(proposal.proposal_id), account=proposer)
    _assert_one_line_error(code, out, err, "the timelock delay ends at")


def test_cli_status__unknown_proposal__fails_in_one_line(run):
    code, out, err = run("status", "--proposal-id", "42")
    _assert_one_line_error(code, out, err, "no proposal 42 on governor")


def test_cli_propose__unknown_function__fails_in_one_line(run, registry, proposer):
    code, out, err = run(
        "propose", "--contract", "ModuleRegistry", "--target", registry.address, "--function", "nope",
        "--description", "x", account=proposer,
    )
    _assert_one_line_error(code, out, err, "ModuleRegistry has no function 'nope'")


def test_cli_propose__missing_target__fails_in_one_line(run, proposer):
    code, out, err = run("propose", "--function", "setGuardian", "--description", "x", account=proposer)
    _assert_one_line_error(code, out, err, "missing --contract, --target")


def test_cli__no_governor__fails_in_one_line():
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["status", "--proposal-id", "1"], obj=_on_test_chain(), catch_exceptions=False
    )
    _assert_one_line_error(result.exit_code, result.stdout, result.stderr, "no governor: deploy first (ape run deploy), or pass --governor")


def test_cli__wrong_timelock__fails_in_one_line(run, attacker):
    code, out, err = run("status", "--proposal-id", "1", "--timelock", attacker.address)
    _assert_one_line_error(code, out, err, "is not the governor's timelock")


def test_cli_parse_arg__numbers_are_exact():
    parse = script._parse_arg
    assert parse("1e24") == 10**24
    assert parse("[1, 2e18]") == [1, 2 * 10**18]
    assert parse("0xAbC") == "0xAbC"
    assert parse("true") is True


# --- as users call it: a real `ape run` subprocess ------------------------------------------------------------


def _ape_run(*args: str) -> subprocess.CompletedProcess:
    ape = Path(sys.executable).with_name("ape")
    env = {**os.environ, "PYTHONPATH": str(SCRIPT.parents[1]), "COLUMNS": "200"}
    return subprocess.run(
        [str(ape), "run", "governance", *args],
        cwd=SCRIPT.parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
    )


def test_ape_run_governance__help__lists_the_subcommands():
    result = _ape_run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("propose", "vote", "queue", "execute", "status", "cancel"):
        assert command in result.stdout


def test_ape_run_governance__no_governor__one_line_error_exit_1():
    result = _ape_run("status", "--proposal-id", "1")
    _assert_one_line_error(result.returncode, result.stdout, result.stderr, "no governor: deploy first (ape run deploy), or pass --governor")
