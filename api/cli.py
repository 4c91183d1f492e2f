"""The ``kith`` command: serve the app, load the demo world, print the schema.

Every command reads its configuration from the environment (``KITH_DATA_DIR``, ``NEO4J_URI``
...; see the README) and has ``--help``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kith.errors import KithError
from kith.settings import Settings

if TYPE_CHECKING:
    from kith.service import Kith

DESCRIPTION = """Kith: a community directory and matching service for local area coordination
and social prescribing. Data lives in the embedded store under KITH_DATA_DIR (default
./.kith-data), or in the Neo4j server named by NEO4J_URI."""


SIGN_IN_HINT = ("The directory is public; coordinators sign in at /sign-in "
                "(accounts: `kith users add NAME --role ROLE --login NAME`).")  # fmt: skip


def serve(args: argparse.Namespace, settings: Settings) -> None:
    """Serve GraphQL, Open Referral UK, the pages and /health until interrupted, in one or more
    app processes over the one store."""
    import uvicorn

    from kith.service import Kith
    from kith.warm import warm

    from .app import create_app

    workers = args.workers or settings.workers
    # Set up (and own the embedded store) here first: a failure is told before anything is
    # served, and workers then join a store that is ready.
    kith = Kith.open(settings)
    try:
        processes = f"{workers} app process{'es' * (workers > 1)}"
        print(f"Kith on http://{args.host}:{args.port}/  (GraphQL at /graphql, Open Referral UK "
              f"at /oruk/, health at /health; {processes})")  # fmt: skip
        print(SIGN_IN_HINT, flush=True)
        options = {"host": args.host, "port": args.port, "log_level": "warning",
                   "log_config": worker_logging(args.verbose)}  # fmt: skip
        if workers == 1:  # ready before the port is open (each worker warms itself)
            warm(kith)
            uvicorn.run(create_app(kith=kith), **options)
        else:  # each worker builds its own app (and service) from the same environment
            uvicorn.run("api.app:create_app", factory=True, workers=workers, **options)
    finally:
        kith.close()


def worker_logging(verbose: bool) -> dict:
    """uvicorn's logging, which it sets up again in every worker process, with the levels
    ``main`` sets for this process: Kith's warnings, the driver's errors only."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["root"] = {"handlers": ["default"], "level": "INFO" if verbose else "WARNING"}
    config["loggers"]["neo4j"] = {"level": "ERROR"}
    return config


DEMO_SIGN_INS = (
    ("demo.coordinator", "Demo coordinator", "COORDINATOR"),
    ("demo.prescriber", "Demo prescriber", "PRESCRIBER"),
    ("demo.organiser", "Demo organiser", "ORGANISER"),
)


def demo(args: argparse.Namespace, settings: Settings) -> None:
    """Generate the Derby demo world and load it into the store (running or not), with a demo
    coordinator, a demo GP social prescriber and a demo organiser (with a listing change
    waiting for approval), who sign in to the pages with new passwords each time."""
    import secrets

    from kith import accounts
    from loaders import demo as demo_world
    from loaders import demo_organisers, demo_outcomes, demo_reaching, demo_referrals

    started = time.monotonic()
    world = demo_world.generate(people=args.people, seed=args.seed)
    passwords = {login: secrets.token_urlsafe(12) for login, _, _ in DEMO_SIGN_INS}
    with service(settings) as kith:
        written = demo_world.load(kith.store, world, show_progress=tty())
        demo = {role: accounts.ensure_sign_in(kith.store, name, accounts.Role(role), login,
                                              passwords[login],
                                              demo_organisers.GROUPS.get(role, ()))
                for login, name, role in DEMO_SIGN_INS}  # fmt: skip
        demo_organisers.load(kith, demo["ORGANISER"])
        referred = demo_referrals.load(kith, demo["COORDINATOR"], demo["PRESCRIBER"])
        year = demo_outcomes.load(kith, world.people, world.activities, world.venues,
                                  demo["COORDINATOR"], demo["PRESCRIBER"])  # fmt: skip
        oldest = demo_reaching.load(kith, world.people, demo["COORDINATOR"])
    seconds = time.monotonic() - started
    print(
        f"Loaded the Derby demo: {len(world.people)} people, {len(world.venues)} venues, "
        f"{len(world.groups)} groups, {len(world.activities)} activities "
        f"({written} records in {seconds:.1f}s), {referred} referrals to try and a year of "
        f"{year} more (plans, wellbeing measures, outcomes), {oldest} people aged 85 and over "
        f"for outreach and winter plans, into {describe_store(settings)}."
    )
    for login, name, _ in DEMO_SIGN_INS:
        print(f"Sign in to the pages (/sign-in) as {login} with the password {passwords[login]}"
              f"  ({name.lower()})")  # fmt: skip


def schema(args: argparse.Namespace, settings: Settings) -> None:
    """Print the GraphQL schema (SDL)."""
    from .schema import build_schema

    print(build_schema().as_str())


def users(args: argparse.Namespace, settings: Settings) -> None:
    """Manage accounts: add (prints a bearer token once, and can set a sign-in for the pages),
    list, trust (an organiser), revoke."""
    import getpass

    from kith import accounts, organisers
    from kith.errors import InvalidInput

    def new_password() -> str:
        """One line of standard input, or the same password typed twice at a prompt."""
        if args.password_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        if not sys.stdin.isatty():
            raise InvalidInput("password", "give it on standard input with --password-stdin")
        typed = getpass.getpass("Password for the new sign-in: ")
        if getpass.getpass("The same again: ") != typed:
            raise InvalidInput("password", "the two passwords typed were different")
        return typed

    password = new_password() if args.action == "add" and args.login else None
    with service(settings) as kith:
        if args.action == "add":
            role = accounts.Role(args.role)
            groups = organisers.groups_for(kith, role, args.group or [])
            account, token = accounts.add(kith.store, args.name, role, login=args.login,
                                          password=password, group_ids=groups)  # fmt: skip
            print(f"Added {account.role.value.lower()} {account.name} ({account.id}).")
            if groups:
                print(f"They keep the listings of {', '.join(groups)}; their changes wait for "
                      "approval until a coordinator trusts them (kith users trust).")  # fmt: skip
            if account.login:
                print(f"They sign in to the pages (/sign-in) as {account.login}.")
            print("Their bearer token, shown this once (only its hash is kept):")
            print(token)
        elif args.action == "list":
            for a in accounts.listing(kith.store):
                state = "revoked" if a.revoked else "active"
                trusted = "trusted" if a.trusted else "untrusted"
                keeps = (f"\tgroups {','.join(a.group_ids)}\t{trusted}"
                         if a.role is accounts.Role.ORGANISER else "")  # fmt: skip
                print(f"{a.id}\t{a.role.value}\t{state}\t{a.created_at}\t{a.name}{keeps}")
        elif args.action == "trust":
            account = organisers.set_trust(kith, args.id, not args.untrust)
            said = "go live at once" if account.trusted else "wait for a coordinator's approval"
            print(f"{account.name} ({account.id}): their listing changes now {said}.")
        else:
            account = accounts.revoke(kith.store, args.id)
            print(f"Revoked {account.id} ({account.name}): its token no longer works.")


def audit_log(args: argparse.Namespace, settings: Settings) -> None:
    """Show the audit trail of person records (reads and writes, allowed and refused)."""
    from kith import audit

    with service(settings) as kith:
        events = (audit.about(kith.store, args.person, args.limit) if args.person
                  else audit.recent(kith.store, args.since or "", args.limit))  # fmt: skip
    for e in events:
        print(f"{e.at}\t{e.actor}\t{e.role}\t{e.action}\t{e.subject}\t{e.outcome}")


def report(args: argparse.Namespace, settings: Settings) -> None:
    """Print the service lead's report for a period, both days included: referrals, waiting,
    matches, wellbeing change and unmet needs, in aggregate, counts of 1-4 shown as "fewer
    than 5" (or write it as CSV, one row per figure)."""
    from kith import reports

    with service(settings) as kith:
        area = kith.place(args.area, None, None) if args.area else None
        made = reports.report(kith, reports.OPERATOR, args.start, args.end, area, args.radius_km)
    if args.csv is None:
        print(reports.text(made))
        return
    with args.csv.open("w", newline="", encoding="utf-8") as out:
        written = reports.write_csv(made, out)
    print(f"Wrote {written} figures to {args.csv}.")


@contextlib.contextmanager
def service(settings: Settings) -> Iterator[Kith]:
    """The service for one command, closed (and its store stopped if we started it) after."""
    from kith.service import Kith

    kith = Kith.open(settings)
    try:
        yield kith
    finally:
        kith.close()


def load_postcodes(args: argparse.Namespace, settings: Settings) -> None:
    """Load postcode centroids: an ONSPD, Code-Point Open or postcode,latitude,longitude CSV."""
    from loaders.postcodes import load_postcodes as load

    with service(settings) as kith:
        report = load(kith.store, args.file, errors_path=args.errors, show_progress=tty())
    print_report(report, args.errors)


def load_volunteers(args: argparse.Namespace, settings: Settings) -> None:
    """Load a volunteer spreadsheet (CSV or XLSX; `kith template volunteers` shows the
    columns). Volunteers already known by e-mail address are updated, not added twice."""
    from loaders.volunteers import load_volunteers as load

    with service(settings) as kith:
        report = load(kith, args.file, errors_path=args.errors, show_progress=tty())
    print_report(report, args.errors)


def load_oruk(args: argparse.Namespace, settings: Settings) -> None:
    """Load Open Referral UK data (v3 or v1): a JSON file, a folder of CSV tables, or one
    table. Loading the same data twice changes nothing."""
    from loaders.oruk import load_oruk as load

    with service(settings) as kith:
        report = load(kith, args.file, show_progress=tty())
    print(report.summary())
    if args.errors:
        report.write_errors(args.errors)
        print(f"{len(report.problems)} problems written to {args.errors}")


def template(args: argparse.Namespace, settings: Settings) -> None:
    """Write an example volunteer spreadsheet with every column, to fill in and load."""
    from loaders.volunteers import write_template

    write_template(args.file)
    print(f"Wrote {args.file}: one example row under the column names.")


def backup(args: argparse.Namespace, settings: Settings) -> None:
    """Write a consistent, versioned backup of the whole graph (while the server runs)."""
    from graph.backup import dump

    with service(settings) as kith:
        header = dump(kith.store, args.file)
    print(f"Backed up {header['nodes']} nodes and {header['relationships']} relationships "
          f"to {args.file}.")  # fmt: skip


def restore(args: argparse.Namespace, settings: Settings) -> None:
    """Restore a backup into an empty store (--force replaces what the store holds)."""
    from graph.backup import restore as restore_file

    with service(settings) as kith:
        header = restore_file(kith.store, args.file, force=args.force)
    print(f"Restored {header['nodes']} nodes and {header['relationships']} relationships "
          f"from a backup of {header['createdAt']}; checksum verified.")  # fmt: skip


def retention(args: argparse.Namespace, settings: Settings) -> None:
    """List people whose records have not changed for --days days, for review."""
    from kith.subject_access import stale

    with service(settings) as kith:
        found = stale(kith, args.days)
    for row in found:
        print(f"{row['id']}\t{row['name']}")
    print(
        f"{len(found)} people with no change in {args.days} days: review, then keep or "
        "erase each (forgetPerson)."
    )


def reminders(args: argparse.Namespace, settings: Settings) -> None:
    """Write today's review reminders: each organiser's e-mail about their listings due for
    review, as an .eml file in the outbox (run daily; a second run the same day adds only
    what fell due since)."""
    from kith import reminders as review_reminders

    with service(settings) as kith:
        sent = review_reminders.send(kith, None, outbox=args.outbox)
    for path in sent.files:
        print(path)
    print(f"{len(sent.reminded)} listings reminded about, {len(sent.files)} e-mails written; "
          f"{len(sent.unkept)} listings due have no organiser: coordinators see them at "
          "/reminders.")  # fmt: skip


def tty() -> bool:
    return sys.stderr.isatty()


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
    cmd.add_argument("--workers", type=positive, metavar="N",
                     help="app processes sharing the port and the store (default: KITH_WORKERS, "
                          "else 1)")  # fmt: skip
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
        choices=["COORDINATOR", "PRESCRIBER", "VOLUNTEER", "ADMIN", "ORGANISER"],
        help="what they may do",
    )
    add.add_argument("--group", action="append", metavar="ID",
                     help="with --role ORGANISER: a group whose listings they keep (repeat for "
                          "more)")  # fmt: skip
    add.add_argument("--login", metavar="NAME",
                     help="also let them sign in to the pages with this name and a password, "
                          "typed at a prompt (or see --password-stdin)")  # fmt: skip
    add.add_argument("--password-stdin", action="store_true",
                     help="with --login: read the password from standard input")  # fmt: skip
    actions.add_parser("list", help="list accounts (never their tokens)")
    trust = actions.add_parser("trust", help="let an organiser's listing changes go live "
                               "without a coordinator's approval")  # fmt: skip
    trust.add_argument("id", help="the organiser's account id, as `kith users list` shows it")
    trust.add_argument("--untrust", action="store_true",
                       help="make their changes wait for approval again")  # fmt: skip
    revoke = actions.add_parser("revoke", help="stop an account's token from working")
    revoke.add_argument("id", help="the account id, as `kith users list` shows it")
    cmd.set_defaults(run=users)

    cmd = commands.add_parser("load", help="load outside data: oruk, volunteers, postcodes")
    kinds = cmd.add_subparsers(dest="kind", required=True, metavar="KIND")
    for name, run, what in (("oruk", load_oruk, "ORUK JSON file or CSV folder"),
                            ("volunteers", load_volunteers, "volunteer CSV or XLSX"),
                            ("postcodes", load_postcodes, "postcode CSV")):  # fmt: skip
        kind = kinds.add_parser(name, help=run.__doc__.split(":")[0].split(".")[0],
                                description=run.__doc__)  # fmt: skip
        kind.add_argument("file", type=Path, help=what)
        kind.add_argument("--errors", type=Path, metavar="FILE",
                          help="also write every bad row or problem to this CSV")  # fmt: skip
        kind.set_defaults(run=run)

    cmd = commands.add_parser("template", help=template.__doc__, description=template.__doc__)
    cmd.add_argument("kind", choices=["volunteers"], help="which spreadsheet")
    cmd.add_argument("file", type=Path, nargs="?", default=Path("volunteers.csv"),
                     help="where to write it (default: volunteers.csv)")  # fmt: skip
    cmd.set_defaults(run=template)

    for name, run in (("backup", backup), ("restore", restore)):
        cmd = commands.add_parser(name, help=run.__doc__, description=run.__doc__)
        cmd.add_argument("file", type=Path, help="the backup file (.gz)")
        if run is restore:
            cmd.add_argument("--force", action="store_true",
                             help="replace everything the store holds")  # fmt: skip
        cmd.set_defaults(run=run)

    cmd = commands.add_parser("retention", help=retention.__doc__, description=retention.__doc__)
    cmd.add_argument("--days", type=positive, default=730,
                     help="how long without a change (default: 730, two years)")  # fmt: skip
    cmd.set_defaults(run=retention)

    cmd = commands.add_parser("reminders", help=reminders.__doc__.split(":")[0],
                              description=reminders.__doc__)  # fmt: skip
    cmd.add_argument("--outbox", type=Path, metavar="DIR",
                     help="where the .eml files go, a folder per day (default: "
                          "KITH_DATA_DIR/outbox)")  # fmt: skip
    cmd.set_defaults(run=reminders)

    cmd = commands.add_parser("report", help=report.__doc__, description=report.__doc__)
    cmd.add_argument("--from", dest="start", type=day, required=True, metavar="DAY",
                     help="first day, YYYY-MM-DD")  # fmt: skip
    cmd.add_argument("--to", dest="end", type=day, required=True, metavar="DAY",
                     help="last day, YYYY-MM-DD")  # fmt: skip
    cmd.add_argument("--area", metavar="POSTCODE", help="only people living near this postcode")
    cmd.add_argument("--radius-km", type=float, metavar="KM", help="how near (default: 5)")
    cmd.add_argument("--csv", type=Path, metavar="FILE", help="write the figures to FILE instead")
    cmd.set_defaults(run=report)

    cmd = commands.add_parser("audit", help=audit_log.__doc__, description=audit_log.__doc__)
    cmd.add_argument("--person", help="only events about this person id")
    cmd.add_argument("--since", help="only events at or after this ISO time (e.g. 2026-11-01)")
    cmd.add_argument("--limit", type=positive, default=100, help="at most this many (default: 100)")
    cmd.set_defaults(run=audit_log)
    return top


def day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


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
