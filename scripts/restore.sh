#!/usr/bin/env bash
# Restore a backup written by scripts/backup.sh into the database of DATABASE_URL (or SQLite).
#   scripts/restore.sh backups/xhht-20261129-011500.pgdump     (PostgreSQL)
#   scripts/restore.sh backups/xhht-20261129-011500.json.gz    (SQLite or any database, via loaddata)
# Everything in the target database is replaced. Stop the app first (systemctl stop xhht).
# All or nothing: pg_restore runs in one transaction, loaddata too.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
FILE="${1:?usage: scripts/restore.sh BACKUP_FILE}"
[ -f "$FILE" ] || { echo "restore.sh: no such file: $FILE" >&2; exit 2; }

case "$FILE" in
  *.pgdump)
    case "${DATABASE_URL:-}" in postgres://*|postgresql://*) ;; *)
      echo "restore.sh: a .pgdump needs DATABASE_URL=postgres://…" >&2; exit 2;; esac
    pg_restore --clean --if-exists --no-owner --no-acl --single-transaction --exit-on-error \
        --dbname="$DATABASE_URL" "$FILE"
    # Apply migrations newer than the backup (restoring an old backup into new code).
    "$PY" manage.py migrate --noinput -v0
    ;;
  *.json.gz)
    "$PY" manage.py migrate --noinput -v0
    # Empty the tables first (flush re-creates permissions and role groups), then load.
    "$PY" manage.py flush --noinput
    # loaddata reads .json.gz itself, in one transaction.
    "$PY" manage.py loaddata "$FILE"
    ;;
  *)
    echo "restore.sh: unknown backup type: $FILE" >&2; exit 2;;
esac

MEDIA_ARCHIVE="${FILE%.pgdump}"; MEDIA_ARCHIVE="${MEDIA_ARCHIVE%.json.gz}.media.tar.gz"
if [ -f "$MEDIA_ARCHIVE" ]; then
  MEDIA_DIR="$("$PY" -c 'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht_portal.settings.development"); django.setup(); from django.conf import settings; print("MEDIA_ROOT=" + str(settings.MEDIA_ROOT))' | sed -n 's/^MEDIA_ROOT=//p')"
  mkdir -p "$MEDIA_DIR" && tar -C "$MEDIA_DIR" -xzf "$MEDIA_ARCHIVE"
fi
echo "restored $FILE"
