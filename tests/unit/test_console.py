"""What the scripts print through strata.cli.console() stays whole in CI logs and pipes (no terminal width)."""

from __future__ import annotations

from strata.cli import MIN_CONSOLE_WIDTH, console
from strata.records import DeploymentRecord
from strata.views import module_table

ADDRESS = "0x" + "ab" * 20


def test_console__no_terminal__module_table_keeps_every_header_and_address(monkeypatch):
    import strata.views

    monkeypatch.delenv("COLUMNS", raising=False)  # pytest captures stdout: no terminal, as in CI
    row = {"module": "LiquidationEngine", "id": "LIQUIDATION_ENGINE", "proxy": ADDRESS, "implementation": ADDRESS,
           "version": "10.10.10", "paused": "paused", "recorded": "differs"}
    monkeypatch.setattr(strata.views, "module_rows", lambda record, project, provider: [row])
    record = DeploymentRecord(network="ethereum:local", chain_id=31337, genesis_hash="0x00")

    out = console()
    assert out.width >= MIN_CONSOLE_WIDTH
    with out.capture() as captured:
        out.print(module_table(record, project=None, provider=None))
    text = captured.get()

    assert "…" not in text
    for header in ("module", "id", "proxy", "implementation", "version", "paused", "recorded"):
        assert f" {header} " in text
    assert text.count(ADDRESS) == 2 and "10.10.10" in text and "LIQUIDATION_ENGINE" in text
