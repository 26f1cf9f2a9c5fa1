#!/usr/bin/env bash
# Writes a migration from the committed schema (HEAD) to the working schema, without a database:
#   bash scripts/new-migration.sh add_things
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: new-migration.sh NAME}"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
git show HEAD:prisma/schema.prisma > /tmp/schema-head.prisma
mkdir -p "$dir"
DATABASE_URL="${DATABASE_URL:-postgresql://localhost/unused}" pnpm exec prisma migrate diff \
  --from-schema-datamodel /tmp/schema-head.prisma --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
echo "wrote $dir/migration.sql ($(wc -l < "$dir/migration.sql") lines)"
