"""`ioc`: operators' local tasks. Commands act on the running local stack by default."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ioc_core.settings import LOCAL_API_PORT, LOCAL_AWS_PORT


def _connect(args: argparse.Namespace) -> None:
    """Bind to the running stack (--port/--aws-port, the environment, what `ioc dev` recorded,
    the defaults: see ioc_core.local.connect) or exit saying how to start it."""
    from ioc_core.local.aws import is_running
    from ioc_core.local.connect import StackUnavailable, check, resolve
    from ioc_core.local.dev_state import read, state_path

    where = state_path()
    target = resolve(args.port, args.aws_port, os.environ, read(where))
    try:
        check(target, _shown(where), is_running)
    except StackUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from error
    os.environ.update(target.environment())  # before the settings are first read


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is under it (shorter to read)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _fail(message: str) -> int:
    """A mistake in what was passed: one line, no traceback, exit code 2 (as argparse's)."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_dev(args: argparse.Namespace) -> int:
    from ioc_core.local.dev import DevOptions, run

    options = DevOptions(
        host=args.host,
        port=args.port,
        aws_port=args.aws_port,
        seed=not args.no_seed,
        access_log=args.access_log,
        metrics=args.metrics,
    )
    code = run(options)
    # Everything is stopped and the ports are free: skip tearing down moto's in-memory
    # data object by object, which takes seconds and does nothing useful.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def cmd_seed(args: argparse.Namespace) -> int:
    _connect(args)
    from ioc_core.local.provision import provision
    from ioc_core.local.seed import seed
    from ioc_core.platform.wiring import ready

    settings = ready()
    provision(settings)
    seed(settings, progress=lambda m: print(m, flush=True))
    return 0


def cmd_api_key_create(args: argparse.Namespace) -> int:
    _connect(args)
    from ioc_core.field_reporting.wiring import api_keys
    from ioc_core.shared.errors import DomainError

    try:
        key = api_keys().create(args.name)
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    print(key)
    print(
        f"Open311 API key for '{args.name}': shown once, stored hashed. Send it as api_key.", file=sys.stderr
    )
    return 0


def cmd_jobs_run(args: argparse.Namespace) -> int:
    _connect(args)
    from ioc_core.local.scheduler import find, run_job
    from ioc_core.platform.wiring import ready

    try:
        schedule = find(args.name)
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    ready()
    print(json.dumps(run_job(schedule), ensure_ascii=False, default=str))
    return 0


def cmd_cameras_simulate(args: argparse.Namespace) -> int:
    from ioc_core.cameras.simulator import ReplayError, replay, replay_files

    try:
        replay_files(Path(args.folder))  # before connecting: a mistyped folder is told as one
        _connect(args)
        from ioc_core.platform.wiring import ready

        ready()
        return replay(Path(args.folder), args.camera, args.key, args.interval)
    except ReplayError as error:
        return _fail(str(error))


def cmd_eval_fire(args: argparse.Namespace) -> int:
    from ioc_core.cameras.evaluation import EvaluationInputError, evaluate_fire

    try:
        result = evaluate_fire(Path(args.folder), details=args.details)
    except EvaluationInputError as error:
        return _fail(str(error))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['images']} images (ambiguous left out: {result['ambiguous']}); {result['method']}")
        for name in ("auc", "precision", "recall", "fpr_hard", "fpr_random"):
            print(f"  {name:<10} {result[name]}   (with ambiguous: {result['with_ambiguous'][name]})")
    return 0


def cmd_eval_forecast(args: argparse.Namespace) -> int:
    from ioc_core.socio_economic.backtest import BacktestInputError, backtest, format_table, read_history_csv

    try:
        result = backtest(read_history_csv(Path(args.file)))
    except BacktestInputError as error:
        return _fail(str(error))
    print(json.dumps(result, ensure_ascii=False) if args.json else format_table(result))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    _connect(args)
    from ioc_core.field_reporting.stats import PK, figures
    from ioc_core.field_reporting.wiring import stats_projection

    print(json.dumps(figures(stats_projection().read(PK, "all")), ensure_ascii=False, indent=2))
    return 0


def _port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{raw!r} is no TCP port (1-65535)")
    return port


def _stack_options() -> argparse.ArgumentParser:
    """--port/--aws-port for commands that talk to the running stack, named as `ioc dev`'s."""
    options = argparse.ArgumentParser(add_help=False)
    stack = options.add_argument_group(
        "the running stack",
        "Default: the ports the running `ioc dev` recorded in .ioc/dev.json; else $PORT/$AWS_PORT "
        f"or {LOCAL_API_PORT}/{LOCAL_AWS_PORT}. IOC_PUBLIC_BASE_URL/IOC_AWS_ENDPOINT override the "
        "record.",
    )
    stack.add_argument("--port", type=_port, help="the API port `ioc dev` serves (make dev PORT=…)")
    stack.add_argument("--aws-port", type=_port, help="its local AWS port (make dev AWS_PORT=…)")
    return options


def parser() -> argparse.ArgumentParser:
    from ioc_core.cameras.simulator import REPLAY_CAMERA, SIMULATED_CAMERAS

    root = argparse.ArgumentParser(prog="ioc", description="Phan Thiet IOC: local operations.")
    commands = root.add_subparsers(dest="command", required=True)
    on_stack = [_stack_options()]

    dev = commands.add_parser(
        "dev",
        help="run the whole system locally (what `make dev` runs)",
        description="Run the whole system locally until Ctrl-C. It records its ports in "
        ".ioc/dev.json for the other `ioc` commands and removes the file when it stops.",
    )
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument(
        "--port",
        type=_port,
        default=_port(os.environ.get("PORT", str(LOCAL_API_PORT))),
        help=f"the API and console (default: $PORT or {LOCAL_API_PORT})",
    )
    dev.add_argument(
        "--aws-port",
        type=_port,
        default=_port(os.environ.get("AWS_PORT", str(LOCAL_AWS_PORT))),
        help=f"the local AWS, moto (default: $AWS_PORT or {LOCAL_AWS_PORT})",
    )
    dev.add_argument("--no-seed", action="store_true", help="start without demo data")
    dev.add_argument(
        "--access-log",
        action="store_true",
        help="print a line for every HTTP request the gateway answers (method, path, status, time)",
    )
    dev.add_argument(
        "--metrics",
        action="store_true",
        help="let the local Lambdas print their Powertools metrics (EMF JSON) as they do in AWS",
    )
    dev.set_defaults(func=cmd_dev)

    seed = commands.add_parser(
        "seed", parents=on_stack, help="load the demo data into the running stack (idempotent)"
    )
    seed.set_defaults(func=cmd_seed)

    key = commands.add_parser("api-key", help="Open311 API keys")
    key_commands = key.add_subparsers(dest="action", required=True)
    create = key_commands.add_parser("create", parents=on_stack, help="create a key and print it once")
    create.add_argument("name", help="who the key is for, e.g. a partner's client name")
    create.set_defaults(func=cmd_api_key_create)

    stats = commands.add_parser("stats", parents=on_stack, help="print the Field Reporting figures")
    stats.set_defaults(func=cmd_stats)

    jobs = commands.add_parser("jobs", help="scheduled jobs (they also run on their schedules in `ioc dev`)")
    job_commands = jobs.add_subparsers(dest="action", required=True)
    run = job_commands.add_parser("run", parents=on_stack, help="run one job now, e.g. field-reporting-sla")
    run.add_argument("name", help="the job's function name in the resource definitions")
    run.set_defaults(func=cmd_jobs_run)

    cameras = commands.add_parser("cameras", help="security cameras")
    camera_commands = cameras.add_subparsers(dest="action", required=True)
    simulate = camera_commands.add_parser(
        "simulate", parents=on_stack, help="replay a folder of images as a camera"
    )
    simulate.add_argument("folder", help="images to upload, in name order")
    simulate.add_argument(
        "--camera",
        help=f"an active camera's id (default: {REPLAY_CAMERA}, the replay's own, registered on first"
        f" use); never one of {', '.join(SIMULATED_CAMERAS)}, which `make dev` simulates",
    )
    simulate.add_argument("--key", help="the camera's uploader key (default: rotate it and use the new one)")
    simulate.add_argument("--interval", type=float, default=2.0, help="seconds between snapshots")
    simulate.set_defaults(func=cmd_cameras_simulate)

    evaluate = commands.add_parser("eval", help="measure a detector on labelled data")
    eval_commands = evaluate.add_subparsers(dest="detector", required=True)
    fire = eval_commands.add_parser("fire", help="fire classifier on fire/ and nofire/ (and manifest.json)")
    fire.add_argument("folder", help="e.g. ../shared/datasets/fire_eval")
    fire.add_argument("--json", action="store_true", help="one JSON object")
    fire.add_argument("--details", action="store_true", help="include every image's score")
    fire.set_defaults(func=cmd_eval_fire)
    forecast = eval_commands.add_parser("forecast", help="backtest the year-end forecast on monthly history")
    forecast.add_argument("file", help="CSV with columns series,period,value (period YYYY-MM)")
    forecast.add_argument("--json", action="store_true", help="one JSON object")
    forecast.set_defaults(func=cmd_eval_forecast)

    from ioc_core.socio_economic.commands import add as add_indicator_commands

    add_indicator_commands(commands, on_stack, _connect)

    from ioc_core.integration.commands import add as add_integration_commands

    add_integration_commands(commands, on_stack, _connect)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
