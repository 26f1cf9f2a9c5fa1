#!/usr/bin/env bash
# Installs the Apertium language-pair packages named in MEDIAAI_APERTIUM_PACKAGES: Debian package names separated
# by spaces, e.g. MEDIAAI_APERTIUM_PACKAGES="apertium-eng-cat apertium-fra-cat". The offline translation engine then
# offers those pairs, and the pivot routes through them, after the API and workers restart (modes are read once per
# process). Does nothing when the variable is unset or empty. Run as root on Debian (scripts/install.sh calls it).
# Safe to run again: installed packages are skipped.
#   --dry-run   check the names and say what would be installed; install nothing
set -euo pipefail

log() { echo "[install-apertium] $*"; }
fail() {
  echo "[install-apertium] $*" >&2
  exit 1
}

dry_run=0
case "${1:-}" in
  "") ;;
  --dry-run) dry_run=1 ;;
  *) fail "unknown option $1 (use --dry-run or nothing)" ;;
esac

read -r -a requested <<<"${MEDIAAI_APERTIUM_PACKAGES:-}"
[ ${#requested[@]} -eq 0 ] && exit 0

bad=()
for pkg in "${requested[@]}"; do
  [[ "$pkg" =~ ^[a-z0-9][a-z0-9.+-]+$ ]] || bad+=("$pkg")
done
[ ${#bad[@]} -gt 0 ] && fail "MEDIAAI_APERTIUM_PACKAGES: not Debian package names: ${bad[*]} (separate names with spaces, e.g. \"apertium-eng-cat apertium-fra-cat\")"

missing=()
for pkg in "${requested[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "already installed: ${requested[*]}"
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  log "not root or no apt-get: install these Debian packages yourself: ${missing[*]}"
  exit 0
fi

apt-get update -qq
unknown=()
for pkg in "${missing[@]}"; do
  candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
  [ -z "$candidate" ] || [ "$candidate" = "(none)" ] && unknown+=("$pkg")
done
[ ${#unknown[@]} -gt 0 ] && fail "MEDIAAI_APERTIUM_PACKAGES names packages apt cannot install here: ${unknown[*]} (\`apt-cache search apertium-\` lists the pairs this machine's sources have; names look like apertium-eng-cat)"

if [ "$dry_run" = 1 ]; then
  log "would install: ${missing[*]}"
  exit 0
fi
log "installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
modes=$(find /usr/share/apertium/modes -name '*.mode' 2>/dev/null | sed 's#.*/##; s#\.mode$##' | sort | tr '\n' ' ')
log "Apertium modes now installed: ${modes:-none}"
log "restart the API and workers so that they offer the new pairs"
