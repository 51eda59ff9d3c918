"""The ``ape run`` scripts as users call them: real subprocesses, real exit codes, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from strata.records import load_record

ROOT = Path(__file__).resolve().parents[2]


def ape_run(*args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    ape = Path(sys.executable).with_name("ape")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run(
        [str(ape), "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def assert_one_line_error(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1, result.stderr
    assert expected in error_lines[0]


def test_deploy_script__devchain__writes_complete_record(tmp_path):
    record_file = tmp_path / "local.json"
    result = ape_run("deploy", "--record", str(record_file))
    assert result.returncode == 0, result.stderr
    record = load_record(record_file)
    assert record.completed
    assert record.require("ModuleRegistry").version == "1.0.0"
    assert "ModuleRegistry" in result.stdout


def test_status__missing_record__one_line_error(tmp_path):
    result = ape_run("status", "--record", str(tmp_path / "missing.json"))
    assert_one_line_error(result, "no deployment record")


def test_liquidate__missing_record__one_line_error(tmp_path):
    result = ape_run("liquidate", "--record", str(tmp_path / "missing.json"), "--dry-run")
    assert_one_line_error(result, "no deployment record")


def test_status__unreachable_rpc__one_line_error():
    result = ape_run("status", "--network", "http://127.0.0.1:9", timeout=120)
    assert_one_line_error(result, "No (supported) node found")


@pytest.mark.parametrize("script", ["deploy", "status", "demo", "liquidate"])
def test_script__unknown_network__usage_error(script):
    result = ape_run(script, "--network", "ethereum:nowhere")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "No network in 'ethereum' named 'nowhere'" in result.stderr


@pytest.mark.parametrize("script", ["deploy", "status", "demo", "liquidate"])
def test_script__help__describes_it(script):
    result = ape_run(script, "--help")
    assert result.returncode == 0
    assert "Usage:" in result.stdout
