#!/usr/bin/env bash
# Print a Python ≥ 3.12 interpreter path: Django 6 refuses older ones. Looks at PYTHON, the
# PATH, then pyenv's versions. Exits 1 with a clear message if none is found.
set -u
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.13 python3.12 python3; do
  path=$(command -v "$name" 2>/dev/null) && candidates+=("$path")
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for dir in "$root"/versions/3.13* "$root"/versions/3.12*; do
  [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3")
done
for python in "${candidates[@]}"; do
  if "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$python"
    exit 0
  fi
done
echo "Không tìm thấy Python 3.12 trở lên (Django 6 cần Python ≥ 3.12). No Python ≥ 3.12 found: install one (e.g. pyenv install 3.12) or set PYTHON=/path/to/python3.12." >&2
exit 1
