namespace Weft.Postgres;

/// <summary>The schema as forward migrations: entry i takes the schema from version i to i + 1 (kept in
/// the one-row table <c>schema_version</c>). Never edit a shipped entry; append a new one. Statements
/// run with <c>search_path</c> set to the store's schema, so names are unqualified.</summary>
internal static class Migrations
{
    public static int Latest => All.Length;

    // Run data mirrors the SQLite store: times are UTC ticks (bigint: lossless, sortable, the same
    // values the engine wrote), states are snake_case names, blobs carry a *_flags column (BlobFlags),
    // and a task has a row only once it changed. Cluster columns (leases, heartbeats, completions)
    // are timestamptz from the database's clock: processes' clocks may differ.
    public static readonly string[] All =
    [
        """
        CREATE TABLE schema_version (version integer NOT NULL);
        INSERT INTO schema_version VALUES (0);

        CREATE TABLE definitions (
            hash        text PRIMARY KEY,
            name        text NOT NULL,
            body        bytea NOT NULL,
            body_flags  integer NOT NULL
        );

        CREATE TABLE runs (
            run_id          text PRIMARY KEY,
            workflow        text NOT NULL,
            definition_hash text NOT NULL REFERENCES definitions (hash),
            state           text NOT NULL,
            priority        integer,
            submitted_at    bigint NOT NULL,
            started_at      bigint,
            finished_at     bigint,
            params          text NOT NULL,
            secrets         bytea,
            secrets_flags   integer NOT NULL DEFAULT 0
        );

        CREATE INDEX runs_by_submitted ON runs (submitted_at, run_id);
        CREATE INDEX runs_by_workflow ON runs (workflow, submitted_at);
        CREATE INDEX runs_by_state ON runs (state, submitted_at);
        CREATE INDEX runs_by_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;
        CREATE INDEX runs_by_definition ON runs (definition_hash);

        CREATE TABLE tasks (
            run_id       text NOT NULL,
            task_id      text NOT NULL,
            state        text NOT NULL,
            attempts     integer NOT NULL,
            started_at   bigint,
            finished_at  bigint,
            error        text,
            exit_code    integer,
            retry_due_at bigint,
            PRIMARY KEY (run_id, task_id)
        );

        CREATE TABLE attempts (
            run_id           text NOT NULL,
            task_id          text NOT NULL,
            attempt          integer NOT NULL,
            started_at       bigint,
            finished_at      bigint,
            outcome          text,
            output           bytea,
            output_flags     integer NOT NULL DEFAULT 0,
            output_truncated boolean NOT NULL DEFAULT false,
            stderr           bytea,
            stderr_flags     integer NOT NULL DEFAULT 0,
            error            text,
            exit_code        integer,
            http_status      integer,
            PRIMARY KEY (run_id, task_id, attempt)
        );

        CREATE TABLE cache (
            key              text PRIMARY KEY,
            output           bytea,
            output_flags     integer NOT NULL DEFAULT 0,
            output_truncated boolean NOT NULL DEFAULT false,
            size             bigint NOT NULL,
            created_at       bigint NOT NULL,
            expires_at       bigint NOT NULL
        );

        CREATE INDEX cache_by_expiry ON cache (expires_at);

        -- One row per queued attempt, from Enqueue until the scheduler's Dequeue. Claimed rows have a
        -- worker and a lease; completed rows carry the outcome until the scheduler reads it.
        CREATE TABLE queue (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id           text NOT NULL,
            task_id          text NOT NULL,
            attempt          integer NOT NULL,
            queue            text NOT NULL,
            definition_hash  text NOT NULL,
            payload          bytea,
            payload_flags    integer NOT NULL DEFAULT 0,
            cancelled        boolean NOT NULL DEFAULT false,
            worker           text,
            claimed_at       timestamptz,
            lease_until      timestamptz,
            completed_at     timestamptz,
            outcome          text,
            output           bytea,
            output_flags     integer NOT NULL DEFAULT 0,
            output_truncated boolean NOT NULL DEFAULT false,
            stderr           bytea,
            stderr_flags     integer NOT NULL DEFAULT 0,
            error            text,
            exit_code        integer,
            http_status      integer,
            from_cache       boolean NOT NULL DEFAULT false,
            started_at       bigint,
            finished_at      bigint,
            UNIQUE (run_id, task_id, attempt)
        );

        -- Claims walk the unclaimed rows in id order (claimed and completed rows are not in this
        -- index, so a long queue history costs a claim nothing), filtering by queue name.
        CREATE INDEX queue_unclaimed ON queue (id) WHERE worker IS NULL AND NOT cancelled;
        CREATE INDEX queue_by_worker ON queue (worker) WHERE worker IS NOT NULL AND completed_at IS NULL;
        CREATE INDEX queue_leases ON queue (lease_until) WHERE worker IS NOT NULL AND completed_at IS NULL;
        CREATE INDEX queue_completed ON queue (completed_at, id) WHERE completed_at IS NOT NULL;

        CREATE TABLE workers (
            name         text PRIMARY KEY,
            host         text NOT NULL,
            pid          integer NOT NULL,
            queues       text[] NOT NULL,
            tags         text[] NOT NULL,
            slots        integer NOT NULL,
            started_at   bigint NOT NULL,
            heartbeat_at timestamptz NOT NULL,
            stopped      boolean NOT NULL DEFAULT false
        );
        """,

        // 2: outcomes get a table of their own and leases are renewed per worker. Writing an outcome
        // into its queue row, and renewing every held row's lease on each heartbeat, rewrote each row
        // (and its index entries) twice more while it was queued; on W1 those two statements took most
        // of the database's time, and a heartbeat held thousands of row locks that outcomes waited on.
        // Now an outcome is one insert, a heartbeat one row, and a row's own lease only covers the
        // time from its claim to its worker's first heartbeat. No foreign key ties an outcome to its
        // row (its per-row checks doubled the insert's cost and made deletes ten times dearer): the
        // scheduler deletes both, reads only outcomes whose row exists, and sweeps the rare outcome
        // that a worker wrote for a row taken back at the same moment.
        """
        CREATE TABLE worker_leases (
            worker      text PRIMARY KEY,
            lease_until timestamptz NOT NULL
        );

        INSERT INTO worker_leases (worker, lease_until)
        SELECT worker, max(lease_until) FROM queue
        WHERE worker IS NOT NULL AND completed_at IS NULL GROUP BY worker;

        CREATE TABLE completions (
            id               bigint PRIMARY KEY,
            seq              bigint GENERATED ALWAYS AS IDENTITY,
            run_id           text NOT NULL,
            task_id          text NOT NULL,
            attempt          integer NOT NULL,
            worker           text NOT NULL,
            outcome          text NOT NULL,
            output           bytea,
            output_flags     integer NOT NULL DEFAULT 0,
            output_truncated boolean NOT NULL DEFAULT false,
            stderr           bytea,
            stderr_flags     integer NOT NULL DEFAULT 0,
            error            text,
            exit_code        integer,
            http_status      integer,
            from_cache       boolean NOT NULL DEFAULT false,
            started_at       bigint,
            finished_at      bigint
        );

        INSERT INTO completions (id, run_id, task_id, attempt, worker, outcome, output, output_flags, output_truncated,
            stderr, stderr_flags, error, exit_code, http_status, from_cache, started_at, finished_at)
        SELECT id, run_id, task_id, attempt, worker, outcome, output, output_flags, output_truncated,
            stderr, stderr_flags, error, exit_code, http_status, from_cache, started_at, finished_at
        FROM queue WHERE completed_at IS NOT NULL ORDER BY completed_at, id;

        CREATE INDEX completions_in_order ON completions (seq);

        DROP INDEX queue_by_worker;
        DROP INDEX queue_leases;
        DROP INDEX queue_completed;

        ALTER TABLE queue DROP COLUMN completed_at, DROP COLUMN outcome, DROP COLUMN output, DROP COLUMN output_flags,
            DROP COLUMN output_truncated, DROP COLUMN stderr, DROP COLUMN stderr_flags, DROP COLUMN error,
            DROP COLUMN exit_code, DROP COLUMN http_status, DROP COLUMN from_cache, DROP COLUMN started_at,
            DROP COLUMN finished_at;

        CREATE INDEX queue_by_worker ON queue (worker) WHERE worker IS NOT NULL;
        """,

        // 2 → 3: a run's start time and deadline given at submit, so a run taken up by another
        // scheduler still waits for its start and keeps its deadline.
        """
        ALTER TABLE runs ADD COLUMN not_before bigint, ADD COLUMN deadline bigint;
        """,

        // 3 → 4: the worker that ran an attempt (null for the scheduler's own slots).
        """
        ALTER TABLE attempts ADD COLUMN worker text;
        """,

        // 4 → 5: runs get an owner and a lease,
        // as in the SQLite store (IWeftStore.TakeRunAsync), cleared once the run is final. Lease times
        // are the owning engine's clock (UTC ticks), not the database's: only that engine renews them,
        // and a cluster's leader, the one scheduler of its runs, does not use them at all. Errors can
        // carry what a task printed or a rendered URL: they become codec blobs like outputs (encrypted
        // when a key is set); existing ones are kept as their UTF-8 bytes (flags 0).
        """
        ALTER TABLE runs ADD COLUMN owner text, ADD COLUMN lease_until bigint;
        CREATE INDEX runs_by_owner ON runs (owner) WHERE owner IS NOT NULL;
        ALTER TABLE tasks ALTER COLUMN error TYPE bytea USING convert_to(error, 'UTF8'), ADD COLUMN error_flags integer NOT NULL DEFAULT 0;
        ALTER TABLE attempts ALTER COLUMN error TYPE bytea USING convert_to(error, 'UTF8'), ADD COLUMN error_flags integer NOT NULL DEFAULT 0;
        ALTER TABLE completions ALTER COLUMN error TYPE bytea USING convert_to(error, 'UTF8'), ADD COLUMN error_flags integer NOT NULL DEFAULT 0;
        """,
        // 5 → 6: registered workflows (every version, with the text each was registered from) and the state
        // of their schedules, shared by every scheduler on the database. A self-contained step: it
        // only creates its own two tables.
        """
        CREATE TABLE registered_workflows (
            name          text NOT NULL,
            version       integer NOT NULL,
            hash          text NOT NULL,
            registered_at bigint NOT NULL,
            source        text NOT NULL,
            source_name   text NOT NULL,
            PRIMARY KEY (name, version),
            UNIQUE (name, hash)
        );

        CREATE TABLE schedules (
            workflow     text PRIMARY KEY,
            paused       boolean NOT NULL DEFAULT false,
            evaluated_at bigint NOT NULL,
            last_tick    bigint,
            last_run_id  text
        );
        """,
        // 6 → 7: signals for waiting tasks (wait: { signal }), as in the SQLite store: recorded by any
        // process, taken by the leader's scheduler in the transaction that records their effect.
        """
        CREATE TABLE signals (
            id         bigserial PRIMARY KEY,
            run_id     text NOT NULL,
            task_id    text NOT NULL,
            sent_at    bigint NOT NULL,
            origin     text NOT NULL,
            reject     boolean NOT NULL DEFAULT false,
            data       bytea,
            data_flags integer NOT NULL DEFAULT 0,
            control    text,
            taken_at   bigint
        );
        CREATE INDEX signals_pending ON signals (id) WHERE taken_at IS NULL;
        CREATE INDEX signals_by_run ON signals (run_id);
        ALTER TABLE runs ADD COLUMN triggered_by text;
        """,
        // 7 → 8: a child workflow's run records its parent run and task, as in the SQLite store.
        """
        ALTER TABLE runs ADD COLUMN parent_run_id text;
        ALTER TABLE runs ADD COLUMN parent_task_id text;
        CREATE INDEX runs_by_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
        """,
        // 8 → 9: a claim reads its queue's unclaimed rows in id order from an index led by the queue's
        // name, stopping at the claim's size. With queue_unclaimed (id) and a filter on the queue, the
        // planner, believing few rows match, read every unclaimed row and sorted them: a claim of 128
        // from a 20,000-task queue read 10,000 rows on average. And a worker's heartbeat finds its
        // cancelled rows without walking all the rows it holds.
        """
        CREATE INDEX queue_ready ON queue (queue, id) WHERE worker IS NULL AND NOT cancelled;
        DROP INDEX queue_unclaimed;
        CREATE INDEX queue_cancelled_by_worker ON queue (worker) WHERE worker IS NOT NULL AND cancelled;
        """,
    ];
}
