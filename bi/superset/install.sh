#!/usr/bin/env bash
# Create or complete the Superset venv: ${SUPERSET_VENV:-.superset-venv} (relative paths
# from the repository root), built by ${PYTHON:-python3} from requirements.txt with every
# package pinned by constraints.txt. Idempotent: a venv installed from the same files
# is left alone, so `make superset-venv` costs nothing the second time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
venv="${SUPERSET_VENV:-.superset-venv}"
python="${PYTHON:-python3}"
constraints="${SUPERSET_CONSTRAINTS:-$here/constraints.txt}"
stamp="$venv/.installed"

args=(-r "$here/requirements.txt")
pinned=("$here/requirements.txt")
if [ "$constraints" != none ]; then
  args+=(-c "$constraints")
  pinned+=("$constraints")
fi
want="$(cat "${pinned[@]}" | sha256sum | cut -d' ' -f1)"

if [ -x "$venv/bin/superset" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "superset venv: $venv is up to date"
  exit 0
fi

# pip warns once per package about index folders that a machine-wide pip.conf names and
# that do not exist; those lines say nothing about this install.
pip_install() {
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
    2> >(grep -v "^WARNING: Location 'file://.*' is ignored" >&2)
}

start=$(date +%s)
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip_install "pip==26.3"
pip_install "${args[@]}"
"$venv/bin/python" -m pip check
echo "$want" > "$stamp"
echo "superset venv: $venv installed in $(( $(date +%s) - start ))s"
