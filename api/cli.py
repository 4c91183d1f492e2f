"""The ``kith`` command: serve the app, load the demo world, print the schema.

Every command reads its configuration from the environment (``KITH_DATA_DIR``, ``NEO4J_URI``
...; see the README) and has ``--help``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from kith.errors import KithError
from kith.settings import Settings

DESCRIPTION = """Kith: a community directory and matching service for local area coordination
and social prescribing. Data lives in the embedded store under KITH_DATA_DIR (default
./.kith-data), or in the Neo4j server named by NEO4J_URI."""


def serve(args: argparse.Namespace, settings: Settings) -> None:
    """Serve GraphQL, the pages and /health until interrupted."""
    import uvicorn

    from .app import create_app

    print(f"Kith on http://{args.host}:{args.port}/  (GraphQL at /graphql, health at /health)")
    print("The directory is public: no sign-in is needed to search it.", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")


def demo(args: argparse.Namespace, settings: Settings) -> None:
    """Generate the Derby demo world and load it into the store (running or not)."""
    from kith.service import Kith
    from loaders import demo as demo_world

    started = time.monotonic()
    world = demo_world.generate(people=args.people, seed=args.seed)
    kith = Kith.open(settings)
    try:
        written = demo_world.load(kith.store, world, show_progress=sys.stderr.isatty())
    finally:
        kith.close()
    seconds = time.monotonic() - started
    print(
        f"Loaded the Derby demo: {len(world.people)} people, {len(world.venues)} venues, "
        f"{len(world.groups)} groups, {len(world.activities)} activities "
        f"({written} records in {seconds:.1f}s) into {describe_store(settings)}."
    )


def schema(args: argparse.Namespace, settings: Settings) -> None:
    """Print the GraphQL schema (SDL)."""
    from .schema import build_schema

    print(build_schema().as_str())


def describe_store(settings: Settings) -> str:
    return f"{settings.neo4j_uri}" if settings.neo4j_uri else f"{settings.data_dir}/"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="kith", description=DESCRIPTION)
    top.add_argument("-v", "--verbose", action="store_true", help="log more (to stderr)")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cmd = commands.add_parser("serve", help=serve.__doc__, description=serve.__doc__)
    cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    cmd.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: %(default)s)"
    )
    cmd.set_defaults(run=serve)

    cmd = commands.add_parser("demo", help=demo.__doc__, description=demo.__doc__ + (
        " The same --people and --seed always give the same world; loading it again changes"
        " nothing."))  # fmt: skip
    cmd.add_argument(
        "--people", type=positive, default=500, help="how many people (default: %(default)s)"
    )
    cmd.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    cmd.set_defaults(run=demo)

    cmd = commands.add_parser("schema", help=schema.__doc__, description=schema.__doc__)
    cmd.set_defaults(run=schema)
    return top


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    try:
        args.run(args, Settings.from_env())
    except KithError as exc:
        print(f"kith: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
