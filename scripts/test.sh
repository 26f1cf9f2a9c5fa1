#!/usr/bin/env bash
# One command to run the whole test suite on a fresh machine: installs, starts services,
# creates and migrates the test database, then runs every package's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgresql://root@127.0.0.1:5432/mediaai_test}"
pnpm exec tsc -v >/dev/null
echo "[test] typecheck"
pnpm -r --workspace-concurrency=2 run typecheck
echo "[test] build (compiled output; the production-install test installs it, a turbo cache hit there)"
pnpm exec turbo run build --filter=@media-ai/api --filter=@media-ai/worker --filter=@media-ai/dashboard \
  --concurrency=2 --output-logs=errors-only
echo "[test] tests"
# One package at a time: the machine has two cores and several suites run real models.
pnpm -r --workspace-concurrency=1 run test
