"""Rendering of the bench's figures: ratios, gas.json, Markdown tables and charts."""

from __future__ import annotations

import json

import pytest

from strata.bench import report
from strata.bench.scenario import GROWTH_COLLATERAL_COUNTS, OPERATION_KEYS


def operations(strata: int | None = None) -> dict[str, dict[str, int | None]]:
    return {
        key: {"strata": strata, "aave_v3": 200_000 + i, "morpho_blue": 100_000 + i}
        for i, key in enumerate(OPERATION_KEYS)
    }


def test_ratio__both_figures__divides():
    assert report.ratio(60_000, 120_000) == pytest.approx(0.5)


@pytest.mark.parametrize("numerator, denominator", [(None, 100_000), (100_000, None), (None, None)])
def test_ratio__missing_figure__is_none(numerator, denominator):
    assert report.ratio(numerator, denominator) is None


def test_ratio__non_positive_gas__raises():
    with pytest.raises(ValueError):
        report.ratio(1, 0)


def test_fmt__gas_and_ratio__thousands_and_two_decimals():
    assert report.fmt_gas(144_608) == "144,608"
    assert report.fmt_gas(None) == "n/a"
    assert report.fmt_ratio(0.5834) == "0.58×"
    assert report.fmt_ratio(None) == "n/a"


def test_gas_json__strata_missing__null_and_shape():
    data = report.gas_json("1.7.1", operations())

    assert data["anvil"] == "1.7.1"
    assert list(data["operations"]) == list(OPERATION_KEYS)
    assert data["operations"]["supply_first"] == {"strata": None, "aave_v3": 200_000, "morpho_blue": 100_000}
    json.dumps(data)  # serialisable as is


def test_gas_json__operation_missing__raises():
    ops = operations()
    del ops["flash_loan_1000"]

    with pytest.raises(ValueError, match="flash_loan_1000"):
        report.gas_json("1.7.1", ops)


def test_operations_table__strata_measured__ratios_per_row():
    table = report.operations_table(operations(strata=100_000))
    lines = table.strip().splitlines()

    assert lines[0] == "| operation | Strata | Aave V3 | Morpho Blue | Strata/Aave | Strata/Morpho |"
    assert len(lines) == 2 + len(OPERATION_KEYS)
    assert lines[2] == "| supply (first in the market) | 100,000 | 200,000 | 100,000 | 0.50× | 1.00× |"


def test_operations_table__strata_missing__na_not_numbers():
    row = report.operations_table(operations()).strip().splitlines()[2]

    assert row == "| supply (first in the market) | n/a | 200,000 | 100,000 | n/a | n/a |"


def growth(strata: bool) -> dict[int, dict[str, dict[str, int] | None]]:
    return {
        n: {
            "strata": {"borrow": 100_000 + n, "liquidate": 150_000 + n} if strata else None,
            "aave_v3": {"borrow": 200_000 + n, "liquidate": 300_000 + n},
        }
        for n in GROWTH_COLLATERAL_COUNTS
    }


def test_growth_table__rows_per_collateral_count():
    lines = report.growth_table(growth(strata=False)).strip().splitlines()

    assert len(lines) == 2 + len(GROWTH_COLLATERAL_COUNTS)
    assert lines[2] == "| 1 | n/a | 200,001 | n/a | n/a | 300,001 | n/a |"


def test_growth_json__counts_as_keys__missing_protocol_null():
    data = report.growth_json("1.7.1", growth(strata=False))

    assert list(data["collateral_assets"]) == [str(n) for n in GROWTH_COLLATERAL_COUNTS]
    assert data["collateral_assets"]["16"] == {"strata": None, "aave_v3": {"borrow": 200_016, "liquidate": 300_016}}


@pytest.mark.parametrize("strata", [True, False])
def test_charts__written_as_png(tmp_path, strata):
    report.operations_chart(tmp_path / "gas.png", operations(strata=100_000 if strata else None), "1.7.1")
    report.growth_chart(tmp_path / "growth.png", growth(strata), "1.7.1")

    for name in ("gas.png", "growth.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_growth_slope__linear_figures__gas_per_added_asset():
    figures = growth(strata=False)

    assert report.growth_slope(figures, "aave_v3", "borrow") == pytest.approx(1.0)
    assert report.growth_slope(figures, "strata", "borrow") is None
    assert "Strata, gas per added collateral asset: borrow n/a" in report.growth_slopes_text(figures)


def test_results_markdown__note_and_table__both_present():
    text = report.results_markdown(
        "Gas per operation",
        "1.7.1",
        "OZ5",
        {"aave_v3": {"package": "@aave/core-v3@1.19.3"}},
        ["Strata not measured: LendingPool not in this checkout yet"],
        report.operations_table(operations()),
    )

    assert text.startswith("# Gas per operation\n")
    assert "- aave_v3: package @aave/core-v3@1.19.3" in text
    assert "> Strata not measured" in text
    assert text.endswith(report.operations_table(operations()))
