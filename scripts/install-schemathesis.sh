#!/usr/bin/env bash
# Installs the pinned schemathesis into a Python venv in the user cache, where test/server/schemathesis.test.ts finds it.
set -euo pipefail

version=4.32.5
venv="${XDG_CACHE_HOME:-$HOME/.cache}/camunda7-compatible-engine/schemathesis-$version"

if [ -x "$venv/bin/st" ]; then
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
echo "schemathesis $version installed in $venv"
