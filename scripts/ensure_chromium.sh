#!/usr/bin/env bash
# The browser tests need Debian's Chromium (Playwright's own browser download does not work on a
# closed network). Installs it when it can (root with apt-get); otherwise stops at once with one
# line saying what to run. Prints nothing when Chromium is already there.
set -u
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Chromium is missing: installing it (apt-get install -y chromium)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -q && apt-get install -y -q chromium; } >/dev/null || {
    echo "Could not install Chromium: run 'sudo apt-get install -y chromium', or 'make test-fast' to skip the browser tests." >&2
    exit 1
  }
  [ -x "$browser" ] && exit 0
fi
echo "Chromium not found at $browser: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH), or 'make test-fast' to skip the browser tests." >&2
exit 1
