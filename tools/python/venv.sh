#!/usr/bin/env bash
# Makes (or reuses) the virtualenv .venv/NAME from the pinned tools/python/NAME.txt and prints
# its path. One virtualenv per tool: dbt-core, Superset and Airflow pin conflicting versions
# of the same packages. Idempotent: a virtualenv whose requirements did not change is reused.
# CI and e2e targets call it; `npm start` never needs Python.
set -euo pipefail
name=${1:?usage: tools/python/venv.sh NAME   (NAME.txt beside this script)}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
requirements="$here/$name.txt"
[ -f "$requirements" ] || { echo "venv.sh: no requirements file $requirements" >&2; exit 2; }
venv="$root/.venv/$name"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  python=${SP01_PYTHON:-python3}
  rm -rf "$venv"
  mkdir -p "$root/.venv"
  "$python" -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  echo "$want" > "$stamp"
fi
echo "$venv"
