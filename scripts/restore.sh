#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and storage, then
# prove it: row counts, key tables' checksums and every file's SHA-256 must match the
# backup's manifest (exit 1 naming each difference otherwise).
#
#   createdb -O jembatan jembatan_restored
#   DATABASE_URL=postgres://jembatan@127.0.0.1/jembatan_restored \
#   JEMBATAN_VAR_DIR=/srv/jembatan/var-restored  scripts/restore.sh /var/backups/jembatan/20261204T001500Z
#
# The database named by DATABASE_URL must exist and be empty; the files go to the
# storage the environment names (JEMBATAN_STORAGE: a folder or a bucket).
# JEMBATAN_CMD is the command that runs Jembatan (default: jembatan).
set -euo pipefail

backup="${1:?usage: scripts/restore.sh BACKUP_DIR}"
read -r -a jembatan <<< "${JEMBATAN_CMD:-jembatan}"
: "${DATABASE_URL:?DATABASE_URL names the (empty) database to restore into}"

for part in db.dump files manifest.json; do
    [[ -e "$backup/$part" ]] || { echo "restore: $backup/$part is missing" >&2; exit 2; }
done

pg_restore --exit-on-error --no-owner --no-privileges --dbname="$DATABASE_URL" "$backup/db.dump"
"${jembatan[@]}" storage import "$backup/files"
"${jembatan[@]}" backup verify "$backup/manifest.json"
