"""`ioc eval forecast`: the backtest on the demo history, its JSON and table, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ioc_core.cli import main
from ioc_core.socio_economic.backtest import BacktestInputError, backtest, parse_history_csv
from ioc_core.socio_economic.demo_history import SAMPLE_SPECS, generate, write_csv

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def demo_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # seed 0 is the demo; the band and the Holt-Winters grid were chosen on seeds 1–3.
    path = tmp_path_factory.mktemp("forecast") / "demo.csv"
    write_csv(generate(SAMPLE_SPECS, 2021, 2026, last_month=11), path)
    return path


def test_the_demo_history_meets_the_target_at_month_eight(
    demo_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "forecast", str(demo_csv), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["series"] == 10 and result["years"] == 40  # 2022–2025 each with a year before
    assert set(result["cutoffs"]) == set(result["baseline_cutoffs"]) == {"3", "6", "8", "10"}
    assert result["cutoffs"]["8"] <= 0.03
    assert result["cutoffs"]["8"] < result["baseline_cutoffs"]["8"] / 3
    assert all(result["cutoffs"][c] < result["baseline_cutoffs"][c] for c in result["cutoffs"])
    assert result["band_coverage"]["8"] >= 0.7
    print(json.dumps(result))


def test_the_table_is_for_people(demo_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "forecast", str(demo_csv)]) == 0
    out = capsys.readouterr().out
    assert "10 series" in out and "month 8" in out and "run-rate" in out and "%" in out


def test_years_without_a_whole_year_before_are_not_scored() -> None:
    history = generate(SAMPLE_SPECS[:1], 2024, 2025)
    history["TOURIST_ARRIVALS"].pop("2024-05")
    with pytest.raises(BacktestInputError, match="no series has a year of 12 months"):
        backtest(history)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("series,value\nA,1\n", "row 1 lacks the column(s) period"),
        ("series,period,value\nA,2024-13,1\n", "row 2, column period: '2024-13' is not YYYY-MM"),
        ("series,period,value\nA,2024-01,1\nA,2024-1,2\n", "row 3, column period: '2024-1'"),
        ("series,period,value\nA,2024-01,abc\n", "row 2, column value: 'abc' is not a number"),
        ("series,period,value\nA,2024-01,1\nA,2024-02,\n", "row 3, column value: '' is not a number"),
        ("series,period,value\nA,2024-01,inf\n", "row 2, column value: 'inf' is not a finite number"),
        ("series,period,value\n,2024-01,1\n", "row 2, column series: empty"),
        ("series,period,value\nA,2024-01,1\nA,2024-01,2\n", "row 3: 2024-01 of A is already in row 2"),
        ("series,period,value\n", "no rows after the header"),
    ],
)
def test_a_bad_file_exits_2_naming_the_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["eval", "forecast", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err and captured.out == ""


def test_a_file_in_another_encoding_names_the_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes("series,period,value\nA,2024-01,1\nHàng hóa,2024-01,2\n".encode("cp1252"))
    assert main(["eval", "forecast", str(path)]) == 2
    assert "row 3 is not UTF-8" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "forecast", str(tmp_path / "absent.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_utf8_with_a_byte_order_mark_and_vietnamese_series_names() -> None:
    history = parse_history_csv(
        "\ufeffseries,period,value\nDu lịch,2024-01,1.5\n".encode().decode("utf-8-sig")
    )
    assert history == {"Du lịch": {"2024-01": 1.5}}
