"""make backup / make restore: a backup restored into an empty database gives the same data.

Runs the real scripts in subprocesses against scratch databases: SQLite always (dumpdata/loaddata),
PostgreSQL (pg_dump/pg_restore) when the suite itself runs on PostgreSQL.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
# What "the same data" means: every model, compared with natural keys so that rows re-created by
# migrate (role groups) match by name; sessions and login attempts are not data.
CANONICAL_DUMP = [
    "dumpdata",
    "--natural-foreign",
    "--natural-primary",
    "-e",
    "contenttypes",
    "-e",
    "auth.permission",
    "-e",
    "sessions",
    "-e",
    "admin.logentry",
    "-e",
    "axes",
]


SUB_MILLISECOND = re.compile(r'(T\d\d:\d\d:\d\d)\.000(?=Z|[+-]\d\d:\d\d")')
FILL = (
    "import sys; from targets import demo as plan_demo; from reporting import demo, synthetic; "
    "plan_demo.load_demo(sys.stdout); demo.load_demo(sys.stdout); "
    "synthetic.generate(scale_name='district', seed={seed}, stdout=sys.stdout, into_demo=True)"
)


def run(args: list[str], database_url: str, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="xhht_portal.settings.development")
    result = subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], database_url)


def canonical(database_url: str, tmp_path: Path) -> list[dict]:
    out = tmp_path / f"canonical-{uuid.uuid4().hex}.json"
    manage(database_url, *CANONICAL_DUMP, "--output", str(out), "-v0")
    # Django's JSON serializer keeps milliseconds: 12:00:00.000412 is written "12:00:00.000Z" and
    # reads back as 12:00:00, written "12:00:00Z". Same millisecond, two spellings: use one.
    text = SUB_MILLISECOND.sub(r"\1", out.read_text(encoding="utf-8"))
    rows = json.loads(text)
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False))


def fill(database_url: str, seed: int = 7) -> None:
    """The plan, the units, users, demo reports with their history, and synthetic approved reports."""
    manage(database_url, "migrate", "--noinput", "-v0")
    manage(database_url, "shell", "-c", FILL.format(seed=seed))


def backup_then_restore(source: str, target: str, tmp_path: Path) -> tuple[Path, list[dict], list[dict]]:
    fill(source)
    backup_dir = tmp_path / "backups"
    result = run(["bash", "scripts/backup.sh", str(backup_dir)], source)
    backup_file = Path(result.stdout.strip().splitlines()[-1])
    assert backup_file.exists() and backup_file.parent == backup_dir
    assert not list(backup_dir.glob("*.partial*")), "no half-written file is left behind"
    run(["bash", "scripts/restore.sh", str(backup_file)], target)
    return backup_file, canonical(source, tmp_path), canonical(target, tmp_path)


@pytest.mark.ops  # 30–40 s: `make test-ops`; CI proves the PostgreSQL round trip below on every run
def test_sqlite_backup_restored_into_an_empty_database_gives_the_same_data(tmp_path):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    target = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    backup_file, before, after = backup_then_restore(source, target, tmp_path)
    assert backup_file.name.endswith(".json.gz")
    assert oct(backup_file.stat().st_mode & 0o777) == "0o600", "backups hold personal data"
    models = {row["model"] for row in before}
    assert {"reporting.submission", "reporting.submissionvalue", "xhht_portal.user", "targets.target"} <= models
    assert len(before) > 1000
    assert after == before


@pytest.mark.ops
def test_restore_replaces_what_was_in_the_target(tmp_path):
    """Restoring over a database that has other data leaves exactly the backup's data."""
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    target = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    manage(target, "migrate", "--noinput", "-v0")
    manage(target, "shell", "-c", "import sys; from targets import demo; demo.load_demo(sys.stdout)")
    _, before, after = backup_then_restore(source, target, tmp_path)
    assert after == before


def test_backup_file_is_gzipped_json_without_log_lines(tmp_path):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    manage(source, "migrate", "--noinput", "-v0")
    result = run(["bash", "scripts/backup.sh", str(tmp_path)], source)
    with gzip.open(result.stdout.strip().splitlines()[-1], "rt", encoding="utf-8") as handle:
        assert isinstance(json.load(handle), list)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the suite runs on SQLite; pg_dump needs PostgreSQL")
def test_postgresql_backup_restored_into_an_empty_database_gives_the_same_data(tmp_path):
    suffix = uuid.uuid4().hex[:8]
    names = [f"xhht_backup_src_{suffix}", f"xhht_backup_dst_{suffix}"]
    for name in names:
        subprocess.run(["createdb", name], check=True)
    try:
        source, target = (f"postgres:///{name}" for name in names)
        backup_file, before, after = backup_then_restore(source, target, tmp_path)
        assert backup_file.name.endswith(".pgdump")
        assert len(before) > 1000
        assert after == before
    finally:
        for name in names:
            subprocess.run(["dropdb", "--if-exists", name], check=False)
