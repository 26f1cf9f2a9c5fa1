#!/usr/bin/env bash
# Installs everything media-ai needs on a fresh Debian 12 machine with Node 20 (run as root):
# Debian packages for the offline engines, pnpm, the workspace, and the generated Prisma client.
# Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[install] $*"; }

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  while read -r pkg; do
    [ -z "$pkg" ] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done < <(grep -v '^\s*#' scripts/debian-packages.txt)
  if [ ${#missing[@]} -gt 0 ]; then
    log "Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  log "not root or no apt-get: make sure these Debian packages are installed: $(grep -v '^\s*#' scripts/debian-packages.txt | tr '\n' ' ')"
fi

# Extra Apertium language pairs named by the configuration (MEDIAAI_APERTIUM_PACKAGES).
bash scripts/install-apertium.sh

if ! command -v pnpm >/dev/null || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "10" ]; then
  log "pnpm 10"
  npm install -g pnpm@10.34.9 >/dev/null
fi

log "workspace packages"
pnpm install --frozen-lockfile --reporter=silent

log "speech: general language model in ARPA form (cached after the first run)"
pnpm --filter @media-ai/speech -s lm:prepare >/dev/null

log "Prisma client"
DATABASE_URL="${DATABASE_URL:-postgresql://localhost/unused}" pnpm exec prisma generate >/dev/null
