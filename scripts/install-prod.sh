#!/usr/bin/env bash
# A production install: compiled output and runtime dependencies only (no TypeScript, tsx, Prisma CLI,
# test or lint tools), in a folder of its own with the repository's layout.
#   bash scripts/install-prod.sh /srv/media-ai [--offline]
# Builds what is not built yet (turbo caches the build), copies package manifests, dist/ folders, the
# trained model files a package ships (models/), the dashboard and the migrations, then installs the
# dependencies with `pnpm install --prod`. --offline installs from the local pnpm store only. Run the
# result with NODE_ENV=production and `node --conditions=production` (see docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:?usage: install-prod.sh DEST [--offline]}"
shift
offline=()
[ "${1:-}" = "--offline" ] && offline=(--offline)

echo "[install-prod] build (cached when unchanged)"
pnpm exec turbo run build --filter=@media-ai/api --filter=@media-ai/worker --filter=@media-ai/dashboard \
  --output-logs=errors-only >/dev/null

mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
echo "[install-prod] copying into $dest"
cp package.json pnpm-lock.yaml pnpm-workspace.yaml .pnpmfile.cjs "$dest/"
mkdir -p "$dest/prisma"
cp prisma/schema.prisma "$dest/prisma/"
rm -rf "$dest/prisma/migrations"
cp -r prisma/migrations "$dest/prisma/"
for pkg in packages/* apps/*; do
  [ -f "$pkg/package.json" ] || continue
  mkdir -p "$dest/$pkg"
  cp "$pkg/package.json" "$dest/$pkg/"
  if [ -d "$pkg/dist" ]; then
    rm -rf "$dest/$pkg/dist"
    cp -r "$pkg/dist" "$dest/$pkg/dist"
  fi
  if [ -d "$pkg/models" ]; then
    rm -rf "$dest/$pkg/models"
    cp -r "$pkg/models" "$dest/$pkg/models"
  fi
done

echo "[install-prod] runtime dependencies"
cd "$dest"
# No lifecycle scripts of the workspace's own packages run here (they are dev tasks).
NODE_ENV=production pnpm install --prod --frozen-lockfile --ignore-scripts "${offline[@]}" --reporter=silent
echo "[install-prod] done: $(du -sh "$dest" | cut -f1) in $dest"
