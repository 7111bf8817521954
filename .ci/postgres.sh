# shellcheck shell=bash
# Start a throw-away PostgreSQL for the store tests and export NEWSDESK_TEST_PG.
#
#   source .ci/postgres.sh        # from .ci/run, before pytest
#   bash .ci/postgres.sh          # by hand: prints the URL
#
# Installs Debian's `postgresql` package with apt-get when no server binaries are found, then
# runs its own cluster in a temporary directory (never the system cluster, never its config),
# listening on localhost only with trust authentication, and creates the test database.
# Idempotent and fast on a second run: an installed server, an initialised cluster and a running
# postmaster are all reused. Works as root (the server runs as the `postgres` user) and as an
# ordinary user. Knobs: NEWSDESK_PG_DIR (cluster directory), NEWSDESK_PG_PORT (default 54329).
# Returns non-zero with a one-line message when the server cannot be had.

_newsdesk_pg_setup() {
    local dir="${NEWSDESK_PG_DIR:-${TMPDIR:-/tmp}/newsdesk-pg}"
    local port="${NEWSDESK_PG_PORT:-54329}"
    local db="newsdesk_test"
    local url="postgresql://postgres@localhost:${port}/${db}"
    local bindir="" candidate run=()

    _newsdesk_pg_bindir() {
        local c
        for c in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
            if [ -x "$c/pg_ctl" ] && [ -x "$c/initdb" ]; then
                echo "$c"
                return 0
            fi
        done
        candidate="$(command -v pg_ctl 2>/dev/null || true)"
        if [ -n "$candidate" ]; then dirname "$(readlink -f "$candidate")"; fi
        return 0
    }

    bindir="$(_newsdesk_pg_bindir)"
    if [ -z "$bindir" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "postgres.sh: PostgreSQL is not installed and installing it needs root" >&2
            return 1
        fi
        echo "postgres.sh: installing PostgreSQL from Debian packages" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null &&
            apt-get install -y -qq --no-install-recommends postgresql >/dev/null || {
            echo "postgres.sh: apt-get install postgresql failed" >&2
            return 1
        }
        bindir="$(_newsdesk_pg_bindir)"
        [ -n "$bindir" ] || { echo "postgres.sh: no pg_ctl after install" >&2; return 1; }
    fi

    # The server refuses to run as root: run it (and initdb) as the postgres user.
    if [ "$(id -u)" = 0 ]; then
        getent passwd postgres >/dev/null || useradd --system --home-dir "$dir" postgres
        run=(runuser -u postgres --)
    fi

    if [ ! -s "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
        chmod 700 "$dir"
        "${run[@]}" "$bindir/initdb" -D "$dir" -U postgres -A trust -E UTF8 --no-locale \
            >"$dir.initdb.log" 2>&1 || {
            echo "postgres.sh: initdb failed; see $dir.initdb.log" >&2
            return 1
        }
    fi

    if ! "${run[@]}" "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        # fsync off and a small WAL: a test server whose data may be lost on a crash.
        "${run[@]}" "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=localhost -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
            start >/dev/null || {
            echo "postgres.sh: the server did not start; see $dir/server.log" >&2
            return 1
        }
    fi

    local psql=("$bindir/psql" -X -q -h localhost -p "$port" -U postgres -d postgres)
    if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
        "${psql[@]}" -c "CREATE DATABASE $db" >/dev/null || {
            echo "postgres.sh: could not create database $db" >&2
            return 1
        }
    fi

    export NEWSDESK_TEST_PG="$url"
    echo "NEWSDESK_TEST_PG=$NEWSDESK_TEST_PG"
}

_newsdesk_pg_status=0
_newsdesk_pg_setup || _newsdesk_pg_status=$?
unset -f _newsdesk_pg_setup _newsdesk_pg_bindir
# `return` when sourced, `exit` when run as a script.
return "$_newsdesk_pg_status" 2>/dev/null || exit "$_newsdesk_pg_status"
