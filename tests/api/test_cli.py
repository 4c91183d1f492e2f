"""The `kith` command as a person uses it: help, schema, serve and demo side by side."""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import referrals
from graph.store import Store, connect
from kith import accounts
from kith.settings import Settings

from ..conftest import ROOT, embedded_only, free_port

# These run `kith` on a data directory of their own: the embedded store, whatever the engine.
on_its_own_store = embedded_only("`kith` on a fresh data directory runs the embedded store")


def kith(data_dir: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "KITH_DATA_DIR": str(data_dir)}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


@pytest.mark.parametrize("command", [[], ["serve"], ["demo"], ["schema"]])
def test_every_command_explains_itself(tmp_path: Path, command: list[str]) -> None:
    done = kith(tmp_path, *command, "--help")
    assert done.returncode == 0
    assert "usage: kith" in done.stdout
    assert len(done.stdout.splitlines()) > 4


def test_schema_prints_the_committed_sdl(tmp_path: Path) -> None:
    done = kith(tmp_path, "schema")
    assert done.stdout.strip() == (ROOT / "api" / "schema.graphql").read_text().strip()


def test_a_bad_argument_is_refused_with_a_reason(tmp_path: Path) -> None:
    done = kith(tmp_path, "demo", "--people", "0")
    assert done.returncode == 2
    assert "must be at least 1" in done.stderr
    assert not (tmp_path / "server.json").exists()


def get_json(url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body else None
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`kith serve` on a new data directory, stopped (with its store) at the end."""
    port = free_port()
    env = {**os.environ, "KITH_DATA_DIR": str(tmp_path)}
    env.pop("NEO4J_URI", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get_json(f"{url}/health")["status"] == "ok":
                break
        except OSError:
            time.sleep(0.3)
    yield url, tmp_path
    server.terminate()
    server.wait(60)


DEMO_LABELS = ("Person", "Referral", "Plan", "WellbeingRecord", "Match", "Contact", "UnmetNeed")


def written(store: Store) -> dict[str, int]:
    """How many of each kind of record the demo writes the store holds."""

    def count(label: str) -> int:
        query = f"MATCH (n:{label}) RETURN count(n) AS n"
        return store.read(lambda tx: tx.run(query).single()["n"])

    return {label: count(label) for label in DEMO_LABELS}


@on_its_own_store
def test_serve_shows_an_empty_store_then_the_demo_loaded_beside_it(served) -> None:
    url, data_dir = served
    query = {
        "query": '{ search(text: "knit", near: {postcode: "DE22 2AB"}, radiusKm: 3) {'
        " totalCount edges { distanceKm node { ... on Activity { name } } } } }"
    }
    assert get_json(f"{url}/graphql", query)["data"]["search"]["totalCount"] == 0

    loaded = kith(data_dir, "demo", "--people", "200")
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded the Derby demo: 200 people" in loaded.stdout
    printed = re.findall(r"as (demo\.\w+) with the password (\S+)", loaded.stdout)
    store = connect(Settings(data_dir=data_dir))  # joins the served store
    try:
        roles = {login: accounts.sign_in(store, login, password).role.value
                 for login, password in printed}  # fmt: skip
        first = written(store)
    finally:
        store.close()
    assert roles == {"demo.coordinator": "COORDINATOR", "demo.prescriber": "PRESCRIBER",
                     "demo.organiser": "ORGANISER"}  # fmt: skip
    tried, year = map(int, re.findall(r"(\d+) referrals to try and a year of (\d+)",
                                      loaded.stdout)[0])  # fmt: skip
    assert tried == 6 and year > 20
    again = kith(data_dir, "demo", "--people", "200")  # the same referrals, moved on once
    assert again.returncode == 0, again.stderr
    store = connect(Settings(data_dir=data_dir))
    try:
        held = referrals.every(store)
        second = written(store)
    finally:
        store.close()
    assert len(held) == tried + year
    assert all(first.values()) and second == first  # a second run adds nothing
    to_try = sorted(r.status.value for r in held if not r.id.startswith("ref-demo-"))
    assert to_try == ["ACCEPTED", "COMPLETED", "DECLINED", "IN_PROGRESS", "RECEIVED", "RECEIVED"]
    # The year makes a report with something in it, small counts never shown as numbers.
    today = datetime.date.today()
    sheet = data_dir / "report.csv"
    report = kith(data_dir, "report", "--from", str(today - datetime.timedelta(days=365)),
                  "--to", str(today), "--csv", str(sheet))  # fmt: skip
    assert report.returncode == 0, report.stderr
    with sheet.open(newline="") as f:
        rows = {(r["section"], r["breakdown"], r["key"]): r for r in csv.DictReader(f)}
    assert int(rows[("referrals", "total", "all")]["value"]) == tried + year
    assert float(rows[("wellbeing", "mean_change", "ONS4 lifeSatisfaction")]["value"]) > 0
    assert int(rows[("unmet_needs", "total", "all")]["value"]) >= 5
    assert not [r for r in rows.values() if r["value"] in {"1", "2", "3", "4"}]

    result = get_json(f"{url}/graphql", query)["data"]["search"]
    names = [e["node"].get("name") for e in result["edges"]]
    assert "Knit and Natter" in names
    assert all(e["distanceKm"] <= 3 for e in result["edges"])
    assert get_json(f"{url}/health")["nodes"] > 200
    services = get_json(f"{url}/oruk/services?search=knit")
    assert services["total_items"] > 0 and services["contents"][0]["name"]


@on_its_own_store
def test_users_add_prints_the_token_last_and_it_works(served) -> None:
    url, data_dir = served
    added = kith(data_dir, "users", "add", "Jo Coordinator", "--role", "COORDINATOR")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("kith_")
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": "{ me { name role } }"}).encode(),
        headers={"content-type": "application/json", "Authorization": f"Bearer {token}"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.loads(response.read())["data"]["me"] == {
            "name": "Jo Coordinator", "role": "COORDINATOR"}  # fmt: skip
    listed = kith(data_dir, "users", "list")
    assert "Jo Coordinator" in listed.stdout and token not in listed.stdout
    account_id = listed.stdout.split()[0]
    assert kith(data_dir, "users", "revoke", account_id).returncode == 0
    assert "revoked" in kith(data_dir, "users", "list").stdout
    assert kith(data_dir, "audit", "--limit", "5").returncode == 0


@on_its_own_store
def test_load_postcodes_reports_each_bad_row_and_loads_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "postcodes.csv"
    source.write_text("postcode,latitude,longitude\nDE22 9ZZ,52.95,-1.49\nnope,1,2\n")
    errors = tmp_path / "errors.csv"
    done = kith(tmp_path / "data", "load", "postcodes", str(source), "--errors", str(errors))
    assert done.returncode == 0, done.stderr
    assert "1 postcodes loaded" in done.stdout and "line 3:" in done.stdout
    assert errors.read_text().splitlines()[1].startswith("3,")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,colour\nfred,blue\n")
    refused = kith(tmp_path / "data", "load", "postcodes", str(wrong))
    assert refused.returncode == 1 and "kith: file:" in refused.stderr


@on_its_own_store
def test_backup_then_restore_into_a_new_store(tmp_path: Path) -> None:
    assert kith(tmp_path / "a", "demo", "--people", "30").returncode == 0
    saved = tmp_path / "kith.backup.gz"
    done = kith(tmp_path / "a", "backup", str(saved))
    assert done.returncode == 0 and "Backed up" in done.stdout, done.stderr
    refused = kith(tmp_path / "a", "restore", str(saved))
    assert refused.returncode == 1 and "not empty" in refused.stderr
    restored = kith(tmp_path / "b", "restore", str(saved))
    assert restored.returncode == 0 and "checksum verified" in restored.stdout, restored.stderr
    review = kith(tmp_path / "b", "retention", "--days", "1")
    assert review.returncode == 0 and "0 people with no change in 1 days" in review.stdout


@on_its_own_store
def test_loading_a_volunteer_sheet_and_open_referral_data(tmp_path: Path) -> None:
    from ..conftest import SHARED

    sheet = tmp_path / "volunteers.csv"
    assert kith(tmp_path / "d", "template", "volunteers", str(sheet)).returncode == 0
    done = kith(tmp_path / "d", "load", "volunteers", str(sheet))
    assert done.returncode == 0 and "1 volunteers added" in done.stdout, done.stderr
    example = SHARED / "data" / "oruk" / "specification" / "examples" / "service_full.json"
    oruk = kith(tmp_path / "d", "load", "oruk", str(example))
    assert oruk.returncode == 0, oruk.stderr


@pytest.mark.parametrize("uri, named", [
    ("http://127.0.0.1:7474", "NEO4J_URI must start with one of bolt"),
    ("bolt://[::1", "NEO4J_URI 'bolt://[::1' is not usable"),
    ("bolt://127.0.0.1:9", "the Neo4j server at bolt://127.0.0.1:9 is not answering"),
])  # fmt: skip
def test_a_store_that_cannot_be_used_is_named_without_a_traceback(
    tmp_path: Path, uri: str, named: str
) -> None:
    env = {**os.environ, "KITH_DATA_DIR": str(tmp_path), "NEO4J_URI": uri}
    done = subprocess.run([sys.executable, "-m", "api.cli", "users", "list"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1 and named in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_setting_is_named(tmp_path: Path) -> None:
    env = {**os.environ, "KITH_DATA_DIR": str(tmp_path), "KITH_WORKERS": "two"}
    done = subprocess.run([sys.executable, "-m", "api.cli", "serve"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1 and "KITH_WORKERS: must be a whole number" in done.stderr


@on_its_own_store
def test_users_add_an_organiser_for_groups_that_exist_then_trust_them(served) -> None:
    url, data_dir = served
    co = kith(data_dir, "users", "add", "Jo Coordinator", "--role", "COORDINATOR")
    group = {"query": 'mutation { upsertGroup(input: {id: "g-stitch", name: "Stitchers"}) '
             "{ group { id } } }"}  # fmt: skip
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps(group).encode(),
        headers={"content-type": "application/json",
                 "Authorization": f"Bearer {co.stdout.strip().splitlines()[-1]}"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        assert "errors" not in json.loads(response.read())
    before = kith(data_dir, "users", "list").stdout
    for args, said in (
        (["--role", "ORGANISER"], "an organiser keeps at least one group"),
        (["--role", "ORGANISER", "--group", "g-stitch", "--group", "g-nowhere"], "'g-nowhere'"),
        (["--role", "PRESCRIBER", "--group", "g-stitch"], "only an organiser keeps groups"),
    ):
        refused = kith(data_dir, "users", "add", "Olu", *args)
        assert refused.returncode == 1 and said in refused.stderr, refused.stderr
    assert kith(data_dir, "users", "list").stdout == before  # nothing written

    added = kith(data_dir, "users", "add", "Olu", "--role", "ORGANISER", "--group", "g-stitch")
    assert added.returncode == 0, added.stderr
    assert "They keep the listings of g-stitch" in added.stdout
    (row,) = [r for r in kith(data_dir, "users", "list").stdout.splitlines() if "Olu" in r]
    assert row.split("\t")[1:3] == ["ORGANISER", "active"]
    assert row.endswith("Olu\tgroups g-stitch\tuntrusted")
    trusted = kith(data_dir, "users", "trust", row.split("\t")[0])
    assert trusted.returncode == 0 and "now go live at once" in trusted.stdout
    assert "g-stitch\ttrusted" in kith(data_dir, "users", "list").stdout
    coordinator_id = next(r.split("\t")[0] for r in before.splitlines() if "Jo Coordinator" in r)
    refused = kith(data_dir, "users", "trust", coordinator_id)
    assert refused.returncode == 1 and "not an organiser" in refused.stderr
