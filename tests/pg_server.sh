#!/usr/bin/env bash
# pg_server.sh CMD...: runs CMD with a private PostgreSQL server of its own:
# initdb and pg_ctl (Debian's postgresql package) in a temporary folder, as
# the unprivileged user nobody when run as root (the server refuses root),
# listening only on a unix socket in that folder on a random port, with
# fsync off (a test server). CMD sees IDP_TEST_LEDGER=postgresql,
# IDP_PG_HOST (the socket's folder) and IDP_PG_PORT, and psql's PGHOST,
# PGPORT, PGUSER (superuser "idpack", trusted) and PGDATABASE, and
# IDP_PG_CTL, a command that runs pg_ctl on this server as its owner
# ("$IDP_PG_CTL" stop -m fast, "$IDP_PG_CTL" start). A role
# "pwuser" with the password in IDP_PG_PASSWORD logs in with SCRAM only.
# The server is stopped and the folder removed when CMD ends; its exit
# status is CMD's. Without the server's binaries: a message and exit 77
# (CTest's skip).
set -euo pipefail
PGBIN=${IDP_PGBIN:-}
if [ -z "$PGBIN" ]; then
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && PGBIN=$d
    done
fi
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ] || ! command -v psql >/dev/null; then
    echo "SKIP: no PostgreSQL server (initdb, pg_ctl from Debian's postgresql package) or psql"
    exit 77
fi
D=$(mktemp -d "${TMPDIR:-/tmp}/idpack-pg-XXXXXX")
if [ "$(id -u)" -eq 0 ]; then
    chown 65534:65534 "$D"
    as() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
    as() { "$@"; }
fi
chmod 0755 "$D"
stop() {
    as "$PGBIN/pg_ctl" -D "$D/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$D"
}
trap stop EXIT
PORT=$((20000 + RANDOM % 40000))
as "$PGBIN/initdb" -D "$D/data" -U idpack --auth=trust --no-sync -E UTF8 --locale=C \
    >"$D/initdb.log" 2>&1 || { cat "$D/initdb.log" >&2; exit 1; }
cat >>"$D/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$D'
port = $PORT
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 16MB
password_encryption = 'scram-sha-256'
CONF
{ echo "local all pwuser scram-sha-256"; cat "$D/data/pg_hba.conf"; } >"$D/hba" && \
    mv "$D/hba" "$D/data/pg_hba.conf"
[ "$(id -u)" -eq 0 ] && chown 65534:65534 "$D/data/pg_hba.conf"
as "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 start >/dev/null \
    || { cat "$D/server.log" >&2; exit 1; }
export IDP_TEST_LEDGER=postgresql IDP_PG_HOST=$D IDP_PG_PORT=$PORT IDP_PG_BIN=$PGBIN
export PGHOST=$D PGPORT=$PORT PGUSER=idpack PGDATABASE=postgres
# pg_ctl for the test itself, as the server's owner.
cat >"$D/pg_ctl" <<CTL
#!/bin/sh
[ "\$(id -u)" -ne 0 ] || exec setpriv --reuid=65534 --regid=65534 --clear-groups "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 "\$@"
exec "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 "\$@"
CTL
chmod 0755 "$D/pg_ctl"
export IDP_PG_CTL=$D/pg_ctl
export IDP_PG_PASSWORD="s3cret-$RANDOM$RANDOM"
psql -q -X -v ON_ERROR_STOP=1 -c "CREATE ROLE pwuser LOGIN PASSWORD '$IDP_PG_PASSWORD'" >/dev/null
rc=0
"$@" || rc=$?
exit "$rc"
