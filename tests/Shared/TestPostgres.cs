using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Weft.Testing;

/// <summary>The PostgreSQL server the tests use. <c>WEFT_TEST_POSTGRES</c> (a connection string or
/// postgres:// URI) names one; otherwise the first use starts a throwaway cluster from the server
/// binaries under /usr/lib/postgresql/*/bin (initdb into a temporary directory, 127.0.0.1 on a free
/// port, trust authentication), one per test process, stopped when the process exits. With neither,
/// the tests fail with a message that says what to do. Each test takes a fresh schema of its own
/// (<see cref="NewSchema"/>), so tests are isolated without a server per test.
///
/// <para>Restarting the server (<see cref="RestartAsync"/>) works for a cluster started here, or when
/// <c>WEFT_TEST_PGDATA</c> and <c>WEFT_TEST_PGCTL</c> (plus <c>WEFT_TEST_PGUSER</c>, the OS user that
/// runs pg_ctl) say how, as scripts/test.sh exports them.</para></summary>
internal static class TestPostgres
{
    public const string Variable = "WEFT_TEST_POSTGRES";
    public const string DataVariable = "WEFT_TEST_PGDATA";
    public const string PgCtlVariable = "WEFT_TEST_PGCTL";
    public const string UserVariable = "WEFT_TEST_PGUSER";

    private static readonly Lazy<Task<Server>> Shared = new(StartAsync);

    /// <summary>The server's connection string (Npgsql keyword form or URI, without a schema).</summary>
    public static async Task<string> ConnectionStringAsync() => (await Shared.Value.ConfigureAwait(false)).ConnectionString;

    /// <summary>A schema name no other test uses (the store creates it on open).</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>The connection string selecting <paramref name="schema"/> (for a store or <c>--store</c>).</summary>
    public static async Task<string> ConnectionStringAsync(string schema)
    {
        var server = await ConnectionStringAsync().ConfigureAwait(false);
        if (server.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && server.Contains("://", StringComparison.Ordinal))
        {
            return server + (server.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema;
        }

        return server.TrimEnd(';') + ";Schema=" + schema;
    }

    /// <summary>Drops a test's schema (best effort; a throwaway cluster goes away anyway).</summary>
    public static async Task DropSchemaAsync(string schema)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Npgsql(await ConnectionStringAsync().ConfigureAwait(false)));
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
        }
    }

    /// <summary>Runs SQL against the server outside any store (inspecting raw tables, forging versions).</summary>
    public static async Task<NpgsqlConnection> OpenRawAsync()
    {
        var connection = new NpgsqlConnection(Npgsql(await ConnectionStringAsync().ConfigureAwait(false)) + ";Pooling=false");
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    /// <summary>Null when <see cref="RestartAsync"/> can restart the server, else why not.</summary>
    public static async Task<string?> WhyNoRestartAsync() => (await Shared.Value.ConfigureAwait(false)).Control is null
        ? $"{Variable} names a server this test cannot restart; also set {DataVariable} and {PgCtlVariable} (and {UserVariable} when pg_ctl must run as another user), as scripts/test.sh does"
        : null;

    /// <summary>Restarts the server (pg_ctl restart -m fast): every open connection breaks.</summary>
    public static async Task RestartAsync()
    {
        var server = await Shared.Value.ConfigureAwait(false);
        var control = server.Control ?? throw new InvalidOperationException(await WhyNoRestartAsync().ConfigureAwait(false));
        await RunAsync(control.User, control.PgCtl, "-D", control.DataDirectory, "-w", "-m", "fast", "restart").ConfigureAwait(false);
    }

    private sealed record Control(string PgCtl, string DataDirectory, string? User);

    private sealed record Server(string ConnectionString, Control? Control);

    private static async Task<Server> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            var data = Environment.GetEnvironmentVariable(DataVariable);
            var givenPgCtl = Environment.GetEnvironmentVariable(PgCtlVariable);
            var user = Environment.GetEnvironmentVariable(UserVariable);
            var control = string.IsNullOrEmpty(data) || string.IsNullOrEmpty(givenPgCtl) ? null : new Control(givenPgCtl, data, string.IsNullOrEmpty(user) ? null : user);
            return new Server(given, control);
        }

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                $"the PostgreSQL tests need a server: set {Variable} (e.g. Host=127.0.0.1;Username=postgres;Password=…), " +
                "or install the server binaries (Debian: apt-get install postgresql) so the tests start one, or run scripts/test.sh, which does both");
        }

        SweepStaleClusters();
        var root = Path.Combine(Path.GetTempPath(), "weft-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var dataDirectory = Path.Combine(root, "data");
        Directory.CreateDirectory(root);

        // initdb refuses to run as root: the cluster then belongs to the postgres user.
        var owner = Environment.UserName == "root" ? "postgres" : null;
        if (owner is not null)
        {
            await RunAsync(null, "chown", owner, root).ConfigureAwait(false);
        }

        var port = FreePort();
        await RunAsync(owner, Path.Combine(bin, "initdb"), "-D", dataDirectory, "-U", "weft", "--auth=trust", "-E", "UTF8").ConfigureAwait(false);
        var pgCtl = Path.Combine(bin, "pg_ctl");
        await RunAsync(owner, pgCtl, "-D", dataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-o",
            $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} -c max_connections=300", "start").ConfigureAwait(false);
        // The test host may be killed soon after its last test: a shell of its own stops the server
        // and removes the directory even then.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            var stop = owner is null ? $"'{pgCtl}'" : $"runuser -u {owner} -- '{pgCtl}'";
            var cleanup = new ProcessStartInfo("sh") { UseShellExecute = false };
            cleanup.ArgumentList.Add("-c");
            cleanup.ArgumentList.Add($"{stop} -D '{dataDirectory}' -m immediate stop >/dev/null 2>&1; rm -rf '{root}'");
            using var process = Process.Start(cleanup);
            process?.WaitForExit(TimeSpan.FromSeconds(10));
        };

        return new Server($"Host=127.0.0.1;Port={port};Username=weft;Database=postgres", new Control(pgCtl, dataDirectory, owner));
    }

    /// <summary>Removes clusters of earlier test processes that were killed before they cleaned up: no
    /// server running (no postmaster.pid) and untouched for an hour.</summary>
    private static void SweepStaleClusters()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), "weft-pg-????????????"))
        {
            try
            {
                if (!File.Exists(Path.Combine(directory, "data", "postmaster.pid"))
                    && Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddHours(-1))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    // The store accepts URIs and a Schema keyword; a raw Npgsql connection does not.
    private static string Npgsql(string connectionString) =>
        Weft.Postgres.PostgresConnection.Parse(connectionString).ConnectionString;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string? user, string file, params string[] args)
    {
        var start = new ProcessStartInfo(user is null ? file : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (user is not null)
        {
            foreach (var a in new[] { "-u", user, "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed (exit {process.ExitCode}): {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }
}
