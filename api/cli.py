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


def users(args: argparse.Namespace, settings: Settings) -> None:
    """Manage accounts: add (prints a bearer token once), list, revoke."""
    from kith import accounts
    from kith.service import Kith

    kith = Kith.open(settings)
    try:
        if args.action == "add":
            account, token = accounts.add(kith.store, args.name, accounts.Role(args.role))
            print(f"Added {account.role.value.lower()} {account.name} ({account.id}).")
            print("Their bearer token, shown this once (only its hash is kept):")
            print(token)
        elif args.action == "list":
            for a in accounts.listing(kith.store):
                state = "revoked" if a.revoked else "active"
                print(f"{a.id}\t{a.role.value}\t{state}\t{a.created_at}\t{a.name}")
        else:
            account = accounts.revoke(kith.store, args.id)
            print(f"Revoked {account.id} ({account.name}): its token no longer works.")
    finally:
        kith.close()


def audit_log(args: argparse.Namespace, settings: Settings) -> None:
    """Show the audit trail of person records (reads and writes, allowed and refused)."""
    from kith import audit
    from kith.service import Kith

    kith = Kith.open(settings)
    try:
        events = (audit.about(kith.store, args.person, args.limit) if args.person
                  else audit.recent(kith.store, args.since or "", args.limit))  # fmt: skip
    finally:
        kith.close()
    for e in events:
        print(f"{e.at}\t{e.actor}\t{e.role}\t{e.action}\t{e.subject}\t{e.outcome}")


def load(args: argparse.Namespace, settings: Settings) -> None:
    """Load outside data into the store: postcode centroids (ONSPD, Code-Point Open or
    postcode,latitude,longitude CSV). Loading a file twice changes nothing."""
    from pathlib import Path

    from kith.service import Kith
    from loaders.postcodes import load_postcodes

    errors = Path(args.errors) if args.errors else None
    kith = Kith.open(settings)
    try:
        report = load_postcodes(kith.store, Path(args.file), errors_path=errors,
                                show_progress=sys.stderr.isatty())  # fmt: skip
    finally:
        kith.close()
    print_report(report, errors)


def print_report(report, errors_file) -> None:  # type: ignore[no-untyped-def]
    """A loader's summary, then the first bad rows with their line numbers."""
    print(report.summary())
    for error in report.errors[:20]:
        print(f"  line {error.line}: {error.reason}")
    if report.bad > 20:
        where = f" (all in {errors_file})" if errors_file else ""
        print(f"  … and {report.bad - 20} more{where}")


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

    cmd = commands.add_parser("users", help=users.__doc__, description=users.__doc__)
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account and print its token once")
    add.add_argument("name", help="the person's name, as shown in the audit trail")
    add.add_argument(
        "--role",
        required=True,
        choices=["COORDINATOR", "PRESCRIBER", "VOLUNTEER", "ADMIN"],
        help="what they may do",
    )
    actions.add_parser("list", help="list accounts (never their tokens)")
    revoke = actions.add_parser("revoke", help="stop an account's token from working")
    revoke.add_argument("id", help="the account id, as `kith users list` shows it")
    cmd.set_defaults(run=users)

    cmd = commands.add_parser(
        "load", help="load outside data (postcodes)", description=load.__doc__
    )
    kinds = cmd.add_subparsers(dest="kind", required=True, metavar="KIND")
    postcodes = kinds.add_parser("postcodes", help="postcode centroids from a CSV file")
    postcodes.add_argument("file", help="ONSPD, Code-Point Open or postcode,latitude,longitude CSV")
    postcodes.add_argument("--errors", metavar="FILE", help="also write each bad row to this CSV")
    cmd.set_defaults(run=load)

    cmd = commands.add_parser("audit", help=audit_log.__doc__, description=audit_log.__doc__)
    cmd.add_argument("--person", help="only events about this person id")
    cmd.add_argument("--since", help="only events at or after this ISO time (e.g. 2026-11-01)")
    cmd.add_argument("--limit", type=positive, default=100, help="at most this many (default: 100)")
    cmd.set_defaults(run=audit_log)
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
