#!/usr/bin/env bash
# Back up the portal's database (and uploaded files) into XHHT_BACKUP_DIR (default ./backups).
#   PostgreSQL (DATABASE_URL=postgres://…): pg_dump custom format, restorable with scripts/restore.sh.
#   SQLite (no DATABASE_URL): manage.py dumpdata with natural keys, gzipped JSON.
# Prints the path of the file it wrote. Old backups beyond XHHT_BACKUP_KEEP_DAYS are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
OUT_DIR="${1:-${XHHT_BACKUP_DIR:-backups}}"
KEEP_DAYS="${XHHT_BACKUP_KEEP_DAYS:-0}"
STAMP="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT_DIR"
media_root() {  # printed with a marker: production settings also log to stdout
  "$PY" -c 'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht_portal.settings.development"); django.setup(); from django.conf import settings; print("MEDIA_ROOT=" + str(settings.MEDIA_ROOT))' 2>/dev/null \
    | sed -n 's/^MEDIA_ROOT=//p'
}
umask 077   # backups hold personal data: readable by the service account only

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*)
    out="$OUT_DIR/xhht-$STAMP.pgdump"
    # --no-owner/--no-acl: restorable into a database owned by another role on another server.
    pg_dump --format=custom --compress=6 --no-owner --no-acl --dbname="$DATABASE_URL" --file="$out.partial"
    ;;
  ""|sqlite://*)
    out="$OUT_DIR/xhht-$STAMP.json.gz"
    # Permissions and content types are rebuilt by migrate; sessions and login attempts are not data.
    # --output, not stdout: production settings log to stdout. dumpdata gzips by the extension.
    "$PY" manage.py dumpdata --natural-foreign --natural-primary \
        -e contenttypes -e auth.permission -e sessions -e admin.logentry \
        -e axes.accessattempt -e axes.accesslog -e axes.accessfailurelog -e axes.accessattemptexpiration \
        --output "$OUT_DIR/xhht-$STAMP.partial.json.gz" -v0
    mv "$OUT_DIR/xhht-$STAMP.partial.json.gz" "$out.partial"
    ;;
  *)
    echo "backup.sh: unsupported DATABASE_URL scheme: ${DATABASE_URL%%:*}" >&2
    exit 2
    ;;
esac
# Only a complete file gets the final name, so a crash never leaves a truncated "backup".
mv "$out.partial" "$out"

MEDIA_DIR="$(media_root)"
if [ -n "$MEDIA_DIR" ] && [ -d "$MEDIA_DIR" ] && [ -n "$(ls -A "$MEDIA_DIR" 2>/dev/null)" ]; then
  tar -C "$MEDIA_DIR" -czf "$OUT_DIR/xhht-$STAMP.media.tar.gz.partial" .
  mv "$OUT_DIR/xhht-$STAMP.media.tar.gz.partial" "$OUT_DIR/xhht-$STAMP.media.tar.gz"
fi

if [ "$KEEP_DAYS" -gt 0 ]; then
  find "$OUT_DIR" -maxdepth 1 -name 'xhht-*' -mtime +"$KEEP_DAYS" -delete
fi
echo "$out"
