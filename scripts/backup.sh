#!/usr/bin/env bash
# Back up Jembatan: the PostgreSQL database (pg_dump custom format), every stored file
# (the local folder or the bucket, through the storage API) and a manifest of row
# counts, key tables' checksums and every file's SHA-256 — all from one snapshot.
#
#   scripts/backup.sh [/var/backups/jembatan]      # makes <dir>/<UTC time>/
#
# Reads the same environment as the server (/etc/jembatan/env: DATABASE_URL,
# JEMBATAN_STORAGE, ...). JEMBATAN_CMD is the command that runs Jembatan
# (default: jembatan); JEMBATAN_BACKUP_KEEP how many backups to keep (default 14).
# docs/operations.md ("Backups") says how to schedule and restore it.
set -euo pipefail

root="${1:-/var/backups/jembatan}"
read -r -a jembatan <<< "${JEMBATAN_CMD:-jembatan}"
keep="${JEMBATAN_BACKUP_KEEP:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$root/$stamp"
partial="$root/.$stamp.partial"

umask 077   # personal data: readable by the backup's owner only
mkdir -p "$root"
rm -rf "$partial"
"${jembatan[@]}" backup create "$partial"
mv "$partial" "$target"
echo "backup: $target"

# Keep the newest $keep backups.
mapfile -t old < <(find "$root" -mindepth 1 -maxdepth 1 -type d -name '20*' | sort -r | tail -n "+$((keep + 1))")
for dir in "${old[@]}"; do rm -rf "$dir"; done
