#!/usr/bin/env bash
# Runs the whole Weft test suite: one Release build, every test project under tests/ with
# --no-build, then `dotnet format --verify-no-changes`. The very last line printed is always
#   N passed, N failed, N skipped
# summed over all test projects. Exit 0 only if the build, every project and the format check
# passed; a project that crashed, discovered no tests or ran past WEFT_TEST_TIMEOUT (default 20m)
# counts as one failed test in the summary, with the reason printed above it.
set -uo pipefail

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cd "$(dirname "${BASH_SOURCE[0]}")/.."

total_passed=0
total_failed=0
total_skipped=0
problems=()

# The last line is a contract for CI, so every exit path goes through here.
finish() {
    local code=$1
    echo
    if ((${#problems[@]} > 0)); then
        echo "=== test.sh: FAILED ==="
        printf '  - %s\n' "${problems[@]}"
    else
        echo "=== test.sh: OK ==="
    fi
    echo "${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
    exit "$code"
}

# The PostgreSQL store and cluster tests need a server (tests/Shared/TestPostgres.cs). A
# WEFT_TEST_POSTGRES given by the caller is used as is. Otherwise: installs Debian's postgresql when
# the server binaries are missing (like ensure_chromium), starts one throwaway cluster in a temporary
# directory (127.0.0.1 only, a free port, trust authentication, sockets in the directory) and stops it
# on exit, chained before the EXIT trap already set. Exports WEFT_TEST_POSTGRES, plus WEFT_TEST_PGDATA,
# WEFT_TEST_PGCTL and WEFT_TEST_PGUSER (the OS user pg_ctl runs as; empty = this one) so the tests
# can restart the server. If nothing works the PostgreSQL tests fail with a message, they do not skip.
ensure_postgres() {
    if [[ -n "${WEFT_TEST_POSTGRES:-}" ]]; then
        echo "=== PostgreSQL: using WEFT_TEST_POSTGRES ==="
        return 0
    fi
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
        echo "=== installing postgresql (Debian package) ==="
        local sudo=""
        if ((EUID != 0)) && command -v sudo >/dev/null 2>&1; then
            sudo="sudo"
        fi
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql \
            || echo "warning: could not install postgresql; the PostgreSQL tests will fail"
        bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
        [[ -n "$bin" && -x "$bin/initdb" ]] || return 0
    fi

    # initdb refuses to run as root: the cluster then belongs to the postgres user.
    local root user="" as=""
    root=$(mktemp -d "${TMPDIR:-/tmp}/weft-pg.XXXXXX")
    if ((EUID == 0)); then
        user=postgres
        as="runuser -u postgres --"
        chown postgres "$root"
    fi
    if ! $as "$bin/initdb" -D "$root/data" -U weft --auth=trust -E UTF8 >"$root/initdb.log" 2>&1; then
        echo "warning: initdb failed (see below); the PostgreSQL tests will fail"
        cat "$root/initdb.log"
        rm -rf "$root"
        return 0
    fi

    local port="" try
    for try in 1 2 3 4 5; do
        try=$((20000 + RANDOM % 40000))
        if $as "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -o \
            "-c listen_addresses=127.0.0.1 -p $try -c unix_socket_directories=$root -c max_connections=300" start >/dev/null; then
            port=$try
            break
        fi
    done
    if [[ -z "$port" ]]; then
        echo "warning: could not start PostgreSQL (see below); the PostgreSQL tests will fail"
        cat "$root/server.log" 2>/dev/null
        rm -rf "$root"
        return 0
    fi

    local previous=""
    eval "local -a current=($(trap -p EXIT))"
    if ((${#current[@]} >= 3)); then
        previous=${current[2]}
    fi
    # shellcheck disable=SC2064 # expanded now, on purpose: the trap runs after this function returns
    trap "$as '$bin/pg_ctl' -D '$root/data' -m immediate stop >/dev/null 2>&1; rm -rf '$root'; $previous" EXIT

    export WEFT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=weft;Database=postgres"
    export WEFT_TEST_PGDATA="$root/data"
    export WEFT_TEST_PGCTL="$bin/pg_ctl"
    export WEFT_TEST_PGUSER="$user"
    echo "=== PostgreSQL $("$bin/postgres" --version | grep -o '[0-9][0-9.]*' | head -n 1) on 127.0.0.1:$port (throwaway, $root) ==="
}

# The MySQL provider tests need a MariaDB server (tests/Shared/TestMySql.cs). A WEFT_TEST_MYSQL given by
# the caller is used as is. Otherwise: installs Debian's mariadb-server when mariadbd is missing, starts
# one throwaway server in a temporary directory (127.0.0.1 only, a free port, its socket in the
# directory; as root it runs with --user=root) and stops it on exit, chained before the EXIT trap
# already set. Exports WEFT_TEST_MYSQL for a user weft with a random password (so the tests see real
# password authentication). If nothing works the MySQL tests fail with a message, they do not skip.
ensure_mysql() {
    if [[ -n "${WEFT_TEST_MYSQL:-}" ]]; then
        echo "=== MySQL: using WEFT_TEST_MYSQL ==="
        return 0
    fi
    local bin
    bin=$(command -v mariadbd || ls /usr/sbin/mariadbd 2>/dev/null)
    if [[ -z "$bin" ]] || ! command -v mariadb-install-db >/dev/null 2>&1; then
        echo "=== installing mariadb-server (Debian package) ==="
        local sudo=""
        if ((EUID != 0)) && command -v sudo >/dev/null 2>&1; then
            sudo="sudo"
        fi
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq mariadb-server \
            || echo "warning: could not install mariadb-server; the MySQL tests will fail"
        bin=$(command -v mariadbd || ls /usr/sbin/mariadbd 2>/dev/null)
        [[ -n "$bin" ]] && command -v mariadb-install-db >/dev/null 2>&1 || return 0
    fi

    # mariadbd refuses to run as root unless told to.
    local root as=()
    root=$(mktemp -d "${TMPDIR:-/tmp}/weft-mysql.XXXXXX")
    if ((EUID == 0)); then
        as=(--user=root)
    fi
    if ! mariadb-install-db --no-defaults "${as[@]}" --datadir="$root/data" --auth-root-authentication-method=normal \
        --skip-test-db >"$root/install.log" 2>&1; then
        echo "warning: mariadb-install-db failed (see below); the MySQL tests will fail"
        cat "$root/install.log"
        rm -rf "$root"
        return 0
    fi

    local port="" try pid i
    for try in 1 2 3 4 5; do
        try=$((20000 + RANDOM % 40000))
        "$bin" --no-defaults "${as[@]}" --datadir="$root/data" --socket="$root/mysqld.sock" --pid-file="$root/mysqld.pid" \
            --port="$try" --bind-address=127.0.0.1 --skip-name-resolve --max-connections=300 \
            --log-error="$root/server.log" >/dev/null 2>&1 &
        pid=$!
        for i in $(seq 1 120); do
            if mariadb-admin --no-defaults --socket="$root/mysqld.sock" -u root ping >/dev/null 2>&1; then
                port=$try
                break
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        [[ -n "$port" ]] && break
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [[ -z "$port" ]]; then
        echo "warning: could not start MariaDB (see below); the MySQL tests will fail"
        cat "$root/server.log" 2>/dev/null
        rm -rf "$root"
        return 0
    fi

    local previous=""
    eval "local -a current=($(trap -p EXIT))"
    if ((${#current[@]} >= 3)); then
        previous=${current[2]}
    fi
    # shellcheck disable=SC2064 # expanded now, on purpose: the trap runs after this function returns
    trap "mariadb-admin --no-defaults --socket='$root/mysqld.sock' -u root shutdown >/dev/null 2>&1 || kill -9 $pid 2>/dev/null; rm -rf '$root'; $previous" EXIT

    local password="weft-$RANDOM$RANDOM$RANDOM"
    if ! mariadb --no-defaults --socket="$root/mysqld.sock" -u root \
        -e "CREATE USER 'weft'@'%' IDENTIFIED BY '$password'; GRANT ALL PRIVILEGES ON *.* TO 'weft'@'%';" >"$root/user.log" 2>&1; then
        echo "warning: could not create the MariaDB test user (see below); the MySQL tests will fail"
        cat "$root/user.log"
        return 0
    fi
    export WEFT_TEST_MYSQL="Server=127.0.0.1;Port=$port;User ID=weft;Password=$password"
    echo "=== MariaDB $("$bin" --version | grep -o '[0-9][0-9.]*-MariaDB' | head -n 1) on 127.0.0.1:$port (throwaway, $root) ==="
}

# The dashboard tests drive Debian's headless Chromium through chromedriver. Installs both when
# missing (root on a fresh machine); the browser test fails, not skips, if they are still absent.
ensure_chromium() {
    if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
        return 0
    fi
    echo "=== installing chromium and chromium-driver (Debian packages) ==="
    local sudo=""
    if ((EUID != 0)) && command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver \
        || echo "warning: could not install chromium; the dashboard browser test will fail"
}

# The NATS transport tests start Debian's nats-server (2.9.x, JetStream) themselves in a temporary
# directory. Installs it when missing; those tests fail, not skip, if it is still absent.
ensure_nats() {
    if command -v nats-server >/dev/null 2>&1 || [[ -x /usr/sbin/nats-server ]]; then
        return 0
    fi
    echo "=== installing nats-server (Debian package) ==="
    local sudo=""
    if ((EUID != 0)) && command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nats-server \
        || echo "warning: could not install nats-server; the NATS transport tests will fail"
}

# The container task tests run Debian's podman with runc (tests/Fixtures/podman/containers.conf)
# and build their image from the static busybox. Installs the three when missing; those tests fail,
# not skip, if they are still absent.
ensure_podman() {
    if command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 && [[ -x /bin/busybox ]]; then
        return 0
    fi
    echo "=== installing podman, runc and busybox-static (Debian packages) ==="
    local sudo=""
    if ((EUID != 0)) && command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq podman runc busybox-static \
        || echo "warning: could not install podman; the container task tests will fail"
}

# Reads one attribute of the <Counters .../> element of a TRX file; prints 0 when absent.
# grep rather than an XML tool because a fresh machine may have nothing but the SDK.
trx_counter() {
    local file=$1 name=$2 value
    value=$(grep -o "<Counters [^>]*>" "$file" | head -n 1 | grep -o " ${name}=\"[0-9]*\"" | grep -o '[0-9]\+')
    echo "${value:-0}"
}

ensure_chromium
ensure_nats
ensure_podman

echo "=== build (Release) ==="
if ! dotnet build Weft.slnx -c Release; then
    problems+=("build failed (see the compiler output above)")
    total_failed=1
    finish 1
fi

results_dir=$(mktemp -d "${TMPDIR:-/tmp}/weft-test.XXXXXX")
trap 'rm -rf "$results_dir"' EXIT
ensure_postgres
ensure_mysql

project_timeout=${WEFT_TEST_TIMEOUT:-20m}
limit=""
if command -v timeout >/dev/null 2>&1; then
    limit="timeout --kill-after=30s $project_timeout"
fi

shopt -s nullglob
projects=(tests/*/*.csproj)
shopt -u nullglob
if ((${#projects[@]} == 0)); then
    problems+=("no test projects found under tests/*/*.csproj")
fi

for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    trx="$results_dir/$name.trx"
    echo
    echo "=== test: $name ==="
    # A deadlocked test must fail the suite, not hang CI: the whole project gets a time limit.
    $limit dotnet test "$project" --no-build -c Release \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
        --results-directory "$results_dir"
    rc=$?
    if ((rc == 124)) && [[ -n "$limit" ]]; then
        problems+=("$name: still running after $project_timeout (WEFT_TEST_TIMEOUT); stopped")
        total_failed=$((total_failed + 1))
        continue
    fi

    if [[ ! -f "$trx" ]]; then
        problems+=("$name: no test results written (exit code $rc); the test run crashed or never started")
        total_failed=$((total_failed + 1))
        continue
    fi

    total=$(trx_counter "$trx" total)
    passed=$(trx_counter "$trx" passed)
    failed=$(trx_counter "$trx" failed)
    # VSTest marks a skipped test's result NotExecuted but leaves Counters' notExecuted at 0.
    skipped=$(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l)
    # Tests that did not finish (host crash, timeout, abort) count as failures, not as nothing.
    unfinished=$(($(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted)))
    failed=$((failed + unfinished))

    # A crash or an empty project is a failure of the suite even though no single test failed,
    # so it adds one to the failed count: the summary line then agrees with the exit code.
    if ((rc != 0 && failed == 0)) || grep -q 'Test host process crashed\|test run was aborted' "$trx"; then
        reason=$(grep -o 'The active test run was aborted[^<]*' "$trx" | head -n 1)
        problems+=("$name: the test run crashed (exit code $rc)${reason:+: $reason}")
        failed=$((failed + 1))
    elif ((total == 0)); then
        problems+=("$name: 0 tests discovered")
        failed=$((failed + 1))
    elif ((failed > 0)); then
        problems+=("$name: $failed test(s) failed")
    elif ((passed + skipped < total)); then
        problems+=("$name: only $((passed + skipped)) of $total tests reported a result; the run was cut short")
        failed=$((failed + 1))
    fi

    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
    echo "--- $name: $passed passed, $failed failed, $skipped skipped (exit code $rc)"
done

echo
echo "=== format check ==="
if ! dotnet format Weft.slnx --verify-no-changes; then
    problems+=("dotnet format found unformatted code: run 'dotnet format Weft.slnx' and commit the result")
fi

if ((${#problems[@]} > 0)); then
    finish 1
fi
finish 0
