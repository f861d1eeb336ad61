namespace Weft.Sqlite;

/// <summary>The schema as forward migrations: entry i takes the database from version i to i + 1
/// (kept in <c>PRAGMA user_version</c>). Never edit a shipped entry; append a new one.</summary>
internal static class Migrations
{
    public static int Latest => All.Length;

    // Times are UTC ticks (lossless, sortable); states are their snake_case names (readable in
    // the sqlite3 shell, stable if the enums are reordered). Blobs carry a *_flags column (BlobFlags).
    // A task has a row only once it changed: a run of 20,000 tasks is one row at submit, and the
    // reader fills rowless tasks in as pending from the definition.
    public static readonly string[] All =
    [
        """
        CREATE TABLE definitions (
            hash        TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            body        BLOB NOT NULL,
            body_flags  INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE runs (
            run_id          TEXT PRIMARY KEY,
            workflow        TEXT NOT NULL,
            definition_hash TEXT NOT NULL REFERENCES definitions (hash),
            state           TEXT NOT NULL,
            priority        INTEGER,
            submitted_at    INTEGER NOT NULL,
            started_at      INTEGER,
            finished_at     INTEGER,
            params          TEXT NOT NULL,
            secrets         BLOB,
            secrets_flags   INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;

        CREATE INDEX runs_by_submitted ON runs (submitted_at, run_id);
        CREATE INDEX runs_by_workflow ON runs (workflow, submitted_at);
        CREATE INDEX runs_by_state ON runs (state, submitted_at);
        CREATE INDEX runs_by_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;
        CREATE INDEX runs_by_definition ON runs (definition_hash);

        CREATE TABLE tasks (
            run_id       TEXT NOT NULL,
            task_id      TEXT NOT NULL,
            state        TEXT NOT NULL,
            attempts     INTEGER NOT NULL,
            started_at   INTEGER,
            finished_at  INTEGER,
            error        TEXT,
            exit_code    INTEGER,
            retry_due_at INTEGER,
            PRIMARY KEY (run_id, task_id)
        ) WITHOUT ROWID;

        CREATE TABLE attempts (
            run_id           TEXT NOT NULL,
            task_id          TEXT NOT NULL,
            attempt          INTEGER NOT NULL,
            started_at       INTEGER,
            finished_at      INTEGER,
            outcome          TEXT,
            output           BLOB,
            output_flags     INTEGER NOT NULL DEFAULT 0,
            output_truncated INTEGER NOT NULL DEFAULT 0,
            stderr           BLOB,
            stderr_flags     INTEGER NOT NULL DEFAULT 0,
            error            TEXT,
            exit_code        INTEGER,
            http_status      INTEGER,
            PRIMARY KEY (run_id, task_id, attempt)
        ) WITHOUT ROWID;
        """,

        // 1 → 2: the result cache. Entries outlive runs (retention does not touch them); expired
        // ones are purged by expires_at.
        """
        CREATE TABLE cache (
            key              TEXT PRIMARY KEY,
            output           BLOB,
            output_flags     INTEGER NOT NULL DEFAULT 0,
            output_truncated INTEGER NOT NULL DEFAULT 0,
            size             INTEGER NOT NULL,
            created_at       INTEGER NOT NULL,
            expires_at       INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE INDEX cache_by_expiry ON cache (expires_at);
        """,

        // 2 → 3: a run's start time and deadline given at submit, so a run taken up after a restart
        // still waits for its start and keeps its deadline.
        """
        ALTER TABLE runs ADD COLUMN not_before INTEGER;
        ALTER TABLE runs ADD COLUMN deadline INTEGER;
        """,

        // 3 → 4: the cluster worker that ran an attempt (null for the engine's own slots).
        """
        ALTER TABLE attempts ADD COLUMN worker TEXT;
        """,

        // 4 → 5: runs get an owner and a
        // lease, so two processes on one file never run the same run (IWeftStore.TakeRunAsync); the
        // owner is cleared once the run is final, so the partial index holds only live runs. Errors
        // can carry what a task printed or a rendered URL: they go through the codec like outputs
        // (error_flags; 0 is the clear text of older rows).
        """
        ALTER TABLE runs ADD COLUMN owner TEXT;
        ALTER TABLE runs ADD COLUMN lease_until INTEGER;
        CREATE INDEX runs_by_owner ON runs (owner) WHERE owner IS NOT NULL;
        ALTER TABLE tasks ADD COLUMN error_flags INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE attempts ADD COLUMN error_flags INTEGER NOT NULL DEFAULT 0;
        """,
        // 5 → 6: registered workflows (every version, with the text each was registered from) and the state
        // of their schedules, so both survive a restart and are shared by every server on the file.
        // A self-contained step: it only creates its own two tables.
        """
        CREATE TABLE registered_workflows (
            name          TEXT NOT NULL,
            version       INTEGER NOT NULL,
            hash          TEXT NOT NULL,
            registered_at INTEGER NOT NULL,
            source        TEXT NOT NULL,
            source_name   TEXT NOT NULL,
            PRIMARY KEY (name, version),
            UNIQUE (name, hash)
        ) WITHOUT ROWID;

        CREATE TABLE schedules (
            workflow     TEXT PRIMARY KEY,
            paused       INTEGER NOT NULL DEFAULT 0,
            evaluated_at INTEGER NOT NULL,
            last_tick    INTEGER,
            last_run_id  TEXT
        ) WITHOUT ROWID;
        """,
        // 6 → 7: signals for waiting tasks (wait: { signal }), recorded before they take effect so a
        // signal sent from another process reaches the run's scheduler, which marks it taken in the
        // same transaction as the task's end. The partial index holds only the pending ones. A row with
        // a control ('pause', 'resume') is a run-level command through the store (weft runs pause).
        // Runs record who or what started them (triggered_by: api, cli, schedule, dashboard, retry).
        """
        CREATE TABLE signals (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id     TEXT NOT NULL,
            task_id    TEXT NOT NULL,
            sent_at    INTEGER NOT NULL,
            origin     TEXT NOT NULL,
            reject     INTEGER NOT NULL DEFAULT 0,
            data       BLOB,
            data_flags INTEGER NOT NULL DEFAULT 0,
            control    TEXT,
            taken_at   INTEGER
        );
        CREATE INDEX signals_pending ON signals (id) WHERE taken_at IS NULL;
        CREATE INDEX signals_by_run ON signals (run_id);
        ALTER TABLE runs ADD COLUMN triggered_by TEXT;
        """,
        // 7 → 8: a child workflow's run (workflow: tasks) records its parent run and task; the index
        // lists a run's children (weft runs show, the API) without a scan.
        """
        ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
        ALTER TABLE runs ADD COLUMN parent_task_id TEXT;
        CREATE INDEX runs_by_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
        """,
    ];
}
