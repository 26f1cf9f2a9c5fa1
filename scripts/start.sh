#!/usr/bin/env bash
# One command to run the platform: installs what is missing, migrates, loads demo data,
# starts the API and a worker, and prints the URL and an admin API key.
# DATABASE_URL selects a PostgreSQL; without it the platform uses an embedded database in .data/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
echo "[start] building the dashboard"
pnpm --filter @media-ai/dashboard -s build >/dev/null
# Production mode for what runs from here on (set after installing: pnpm skips dev tools in production).
# The API never puts stack traces in answers in any mode; production also turns off dev-only behaviour.
export NODE_ENV="${NODE_ENV:-production}"
exec node --import tsx apps/api/src/launcher/start-platform.ts
