#!/usr/bin/env bash
# Writes a file that breaks a boundary (a transform importing a loader), runs `nx lint` on
# its project and expects it to fail; the file is always removed again.
set -uo pipefail
cd "$(dirname "$0")/../.."
breach=libs/transform/top-up/src/__boundary_breach__.ts
trap 'rm -f "$breach"' EXIT
printf "import { createPgliteWarehouse } from '@sp01/load-postgres';\nexport const breach = createPgliteWarehouse;\n" > "$breach"
if out=$(npx nx lint transform-top-up --skip-nx-cache --outputStyle=static 2>&1); then
  echo "$out"
  echo "boundary check: FAILED — nx lint accepted a transform importing a loader" >&2
  exit 1
fi
if ! grep -q "enforce-module-boundaries" <<<"$out"; then
  echo "$out"
  echo "boundary check: FAILED — lint failed, but not on the boundary rule" >&2
  exit 1
fi
echo "boundary check: ok — nx lint rejects a transform importing a loader"
