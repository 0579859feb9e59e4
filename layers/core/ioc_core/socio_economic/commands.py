"""`ioc indicators …`: the meeting pack from the command line, and the demo's monthly history as
the CSV `ioc eval forecast` reads."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ioc_core.shared.errors import DomainError


def cmd_pack(args: argparse.Namespace, connect: Callable[[argparse.Namespace], None]) -> int:
    from ioc_core.shared.clock import VN_TZ
    from ioc_core.socio_economic.periods import Period

    try:
        period = Period.parse(args.period)
        cutoff = date.fromisoformat(args.cutoff) if args.cutoff else None
    except (DomainError, ValueError) as error:
        print(f"error: {getattr(error, 'message', error)}", file=sys.stderr)
        return 2
    connect(args)
    from ioc_core.socio_economic.meeting import frozen_pack
    from ioc_core.socio_economic.packs import default_cutoff
    from ioc_core.socio_economic.tasks.wiring import task_service
    from ioc_core.socio_economic.wiring import read_service

    today = datetime.now(VN_TZ).date()
    cut = cutoff or default_cutoff(period, today)
    print(f"figures approved by {cut:%d/%m/%Y} for {period.label('en')} …", file=sys.stderr)
    frozen = frozen_pack(read_service(), period.code, cut, today, task_service().board())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in frozen.files.items():
        (out / name).write_bytes(data)
    (out / "manifest.json").write_bytes(frozen.manifest.to_json())
    names = sorted([*frozen.files, "manifest.json"])
    print(json.dumps({"sha256": frozen.manifest.content_sha256, "files": names, "out": str(out)}))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from ioc_core.shared.clock import VN_TZ
    from ioc_core.socio_economic.catalogue import default_catalogue
    from ioc_core.socio_economic.demo import DemoValues
    from ioc_core.socio_economic.demo_history import write_csv

    year, month = (int(part) for part in args.until.split("-"))
    now = datetime(year + (month == 12), month % 12 + 1, 2, tzinfo=VN_TZ)  # the month after `until`
    series: dict[str, dict[str, float]] = {}
    catalogue = default_catalogue()
    for indicator, breakdown, period, value in DemoValues(catalogue, now, []).figures():
        if breakdown == "city" and period.kind == "month" and indicator.time_aggregation == "sum":
            series.setdefault(indicator.code, {})[period.code] = value
    rows = write_csv(series, Path(args.out))
    print(f"{rows} rows of {len(series)} monthly series written to {args.out}", file=sys.stderr)
    return 0


def add(
    commands: Any, on_stack: list[argparse.ArgumentParser], connect: Callable[[argparse.Namespace], None]
) -> None:
    indicators = commands.add_parser("indicators", help="socio-economic indicators")
    actions = indicators.add_subparsers(dest="action", required=True)
    pack = actions.add_parser(
        "pack", parents=on_stack, help="write the meeting pack (XLSX, PDF, manifest) of a period"
    )
    pack.add_argument("--period", required=True, help="YYYY-MM (or YYYY-Qn, YYYY-Hn, YYYY)")
    pack.add_argument("--cutoff", help="the data cut-off day, YYYY-MM-DD (default: the period's, or today)")
    pack.add_argument("--out", required=True, help="the folder to write into")
    pack.set_defaults(func=lambda args: cmd_pack(args, connect))
    history = actions.add_parser("history", help="write the demo's monthly series as series,period,value CSV")
    history.add_argument("--out", required=True, help="the CSV file")
    history.add_argument("--until", default="2025-12", help="the last month, YYYY-MM (default 2025-12)")
    history.set_defaults(func=cmd_history)
