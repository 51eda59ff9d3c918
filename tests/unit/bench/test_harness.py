"""Harness timings: the suite's self-recorded timing (make test), the figures make bench reports, the README block."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from strata.bench import harness, readme, suite_timing
from strata.bench.scenario import OPERATION_KEYS


class _Reporter:
    def __init__(self, passed: int, failed: int = 0, skipped: int = 0):
        call = SimpleNamespace(when="call")
        self.stats = {"passed": [call] * passed, "failed": [call] * failed, "skipped": [SimpleNamespace(when="setup")] * skipped}


def _session(passed: int, failed: int = 0, skipped: int = 0):
    reporter = _Reporter(passed, failed, skipped)
    manager = SimpleNamespace(get_plugin=lambda name: reporter if name == "terminalreporter" else None)
    return SimpleNamespace(config=SimpleNamespace(pluginmanager=manager))


@pytest.fixture
def suite_env(monkeypatch):
    def set_part(run: str, part: str, started: float, args: str = "") -> None:
        monkeypatch.setenv("STRATA_SUITE_RUN", run)
        monkeypatch.setenv("STRATA_SUITE_PART", part)
        monkeypatch.setenv("STRATA_SUITE_PARTS", "main,pipeline")
        monkeypatch.setenv("STRATA_SUITE_STARTED", str(started))
        monkeypatch.setenv("STRATA_SUITE_ARGS", args)

    return set_part


def test_suite_timing__both_parts_pass__last_full_is_their_sum(tmp_path, suite_env):
    path = tmp_path / "test-timing.json"
    suite_env("r1", "main", 1000.0)
    run = suite_timing.record_part(_session(900, skipped=3), 0, path=path, now=1900.0)
    assert not run["complete"] and "last_full" not in json.loads(path.read_text())
    suite_env("r1", "pipeline", 1901.0)
    suite_timing.record_part(_session(40), 0, path=path, now=2101.0)
    data = json.loads(path.read_text())
    assert data["last_full"]["seconds"] == 1100.0 and data["last_full"]["passed"]
    assert data["last_full"]["parts"]["main"]["tests"]["passed"] == 900
    figure = harness.suite_figure(path)
    assert figure["seconds"] == 1100.0 and figure["tests"]["passed"] == 940 and figure["tests"]["skipped"] == 3


def test_suite_timing__failed_or_selected_run__keeps_the_previous_full_run(tmp_path, suite_env):
    path = tmp_path / "test-timing.json"
    for part, start, end in (("main", 0.0, 1000.0), ("pipeline", 1000.0, 1200.0)):
        suite_env("full", part, start)
        suite_timing.record_part(_session(10), 0, path=path, now=end)
    suite_env("failing", "main", 5000.0)
    suite_timing.record_part(_session(9, failed=1), 1, path=path, now=5500.0)
    suite_env("selected", "main", 6000.0, args="-k registry")
    suite_timing.record_part(_session(3), 0, path=path, now=6010.0)
    suite_env("selected", "pipeline", 6010.0, args="-k registry")
    suite_timing.record_part(_session(1), 0, path=path, now=6020.0)
    data = json.loads(path.read_text())
    assert data["last_full"]["run"] == "full" and data["last"]["run"] == "selected" and data["last"]["passed"]
    figure = harness.suite_figure(path)
    assert figure["seconds"] == 1200.0 and figure["later_run"]["args"] == "-k registry"


def test_suite_timing__plain_ape_test__writes_nothing_and_never_raises(tmp_path, monkeypatch):
    monkeypatch.delenv("STRATA_SUITE_RUN", raising=False)
    monkeypatch.setattr(suite_timing, "TIMING_FILE", tmp_path / "t.json")
    suite_timing.pytest_sessionfinish(_session(1), 0)
    assert not (tmp_path / "t.json").exists()
    monkeypatch.setenv("STRATA_SUITE_RUN", "x")
    suite_timing.pytest_sessionfinish(object(), 0)  # a broken session: swallowed, the run's outcome is pytest's


def test_suite_figure__nothing_recorded__na_with_the_command(tmp_path):
    figure = harness.suite_figure(tmp_path / "missing.json")
    assert figure["seconds"] is None and "make bench BENCH_SUITE=1" in figure["why"]


def test_clean_copy__build_outputs__left_out_and_packages_linked(tmp_path):
    root = tmp_path / "project"
    (root / "contracts" / ".cache").mkdir(parents=True)
    (root / "contracts" / "A.sol").write_text("// a")
    (root / "contracts" / ".cache" / "junk").write_text("x")
    (root / "interfaces").mkdir()
    (root / "ape-config.yaml").write_text("name: t\n")
    (root / ".deps").mkdir()
    (root / ".build").mkdir()
    (tmp_path / "copy").mkdir()
    copy = harness.clean_copy(tmp_path / "copy", root)
    assert (copy / "contracts" / "A.sol").is_file() and not (copy / "contracts" / ".cache").exists()
    assert (copy / ".deps").is_symlink() and not (copy / ".build").exists()


FIGURES = {
    "measured_at": "2026-11-26T02:00:00+00:00",
    "commit": "abc1234",
    "compile_from_clean": {"seconds": 40.0, "cpu_seconds": 35.5, "project_sources": 80, "how": "ape compile -f"},
    "deploy_and_upgrade": {
        "deploy": {"seconds": 10.5, "blocks": 44},
        "upgrade": {"seconds": 17.7, "check": 4.9, "deploy": 0.1, "rehearse": 9.1, "govern+verify": 3.2},
    },
    "test_suite": {"seconds": None, "why": "no make test recorded"},
    "machine": {"cpus": 2, "load_average_before": [1.0, 1.0, 1.0], "load_average_after": [2.0, 1.0, 1.0]},
}


def test_harness_rows__figures__one_row_each_suite_na_with_reason():
    rows = harness.rows(FIGURES)
    assert [r[0] for r in rows] == ["compile from clean", "deploy the whole protocol", "one upgrade cycle", "test suite (make test)"]
    assert rows[0][1] == "40.0" and rows[2][1] == "17.7" and "rehearse 9.1" in rows[2][2]
    assert rows[3][1] == "n/a" and "no make test recorded" in rows[3][2]
    assert "| compile from clean | 40.0 |" in harness.markdown(FIGURES)


def _gas(strata: int) -> dict:
    return {key: {"strata": strata, "aave_v3": 200_000, "morpho_blue": 100_000} for key in OPERATION_KEYS}


@pytest.mark.parametrize(
    "strata, aave, morpho, met",
    [(120_000, 200_000, 100_000, True), (120_001, 200_000, 100_000, False), (125_001, 300_000, 100_000, False), (None, 1, 1, False)],
)
def test_readme_status__targets__met_only_within_both(strata, aave, morpho, met):
    text, missed = readme.status(strata, aave, morpho)
    assert (text == "met") is met and missed is (not met and strata is not None)


def test_readme_figure__expression__computed_from_gas_json():
    ops = _gas(150_000)
    assert readme.figure("strata.borrow_first - aave.borrow_first", ops) == "-50.0k"
    assert readme.render_cause("costs [[strata.supply_first - morpho.supply_first]] more", ops) == "costs 50.0k more"
    with pytest.raises(readme.ReadmeError):
        readme.figure("strata.nope", ops)


def test_readme_section__missed_operation__explained_from_causes_file():
    gas = {"anvil": "1.7.1", "operations": _gas(130_000)}
    text, unexplained = readme.gas_section(gas, {"borrow_first": "two prices, [[strata.borrow_first - morpho.borrow_first]] over Morpho"})
    assert "| borrow (first) | 130,000 | 200,000 | 100,000 | 0.65× | 1.30× | **missed** (Aave, Morpho) |" in text
    assert "- **borrow (first)**: two prices, 30.0k over Morpho" in text
    assert "borrow_first" not in unexplained and "flash_loan_1000" in unexplained


def test_readme__committed_results__readme_shows_them_and_every_miss_is_explained():
    block, unexplained = readme.render()
    assert not unexplained, f"explain these in bench/gas-causes.md: {unexplained}"
    current = readme.README.read_text()
    assert readme.splice(current, block) == current, "README.md is behind bench/results: python -m strata.bench.readme"
    # Prose figures come from the results: every [[ ]] was replaced.
    assert not re.search(r"\[\[", block)
