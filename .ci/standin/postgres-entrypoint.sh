#!/bin/sh
# The official postgres image's first start, in short: an empty PGDATA gets
# a cluster whose superuser is POSTGRES_USER with POSTGRES_PASSWORD, and the
# database POSTGRES_DB; then the server listens everywhere, passwords
# required from other hosts.
set -eu
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
	pw=$(mktemp)
	printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" >"$pw"
	initdb -D "$PGDATA" -U "$user" --pwfile="$pw" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
	rm -f "$pw"
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	if [ "$db" != postgres ]; then
		echo "CREATE DATABASE \"$db\";" | postgres --single -D "$PGDATA" -j postgres >/dev/null
	fi
fi
if [ "$1" = postgres ]; then
	shift
	exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
