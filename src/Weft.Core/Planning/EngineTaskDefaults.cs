using Weft.Definitions;

namespace Weft.Planning;

/// <summary>The engine's <see cref="WeftOptions.DefaultTaskTimeout"/> and <see cref="WeftOptions.DefaultRetry"/>,
/// filled into the plan's copy of each task that sets none. The definition (and so the stored run) stays
/// as written; a resumed run gets the defaults of the engine that resumes it.</summary>
internal sealed class EngineTaskDefaults
{
    private EngineTaskDefaults(TimeSpan? timeout, RetryPolicy? retry)
    {
        _timeout = timeout;
        _retry = retry;
    }

    private readonly TimeSpan? _timeout;
    private readonly RetryPolicy? _retry;

    /// <summary>Null when the options set neither default, so plans copy nothing.</summary>
    public static EngineTaskDefaults? From(WeftOptions options) =>
        options.DefaultTaskTimeout is null && options.DefaultRetry is null ? null : new(options.DefaultTaskTimeout, options.DefaultRetry);

    // "Sets none" is the loader's value for a task without retry: (and without a workflow default),
    // RetryPolicy.None; a task that wants one attempt despite the default says retry: {maxAttempts: 1}.
    public TaskDefinition Apply(TaskDefinition task) =>
        (task.Timeout is null && _timeout is not null) || (task.Retry == RetryPolicy.None && _retry is not null)
            ? task with
            {
                Timeout = task.Timeout ?? _timeout,
                Retry = task.Retry == RetryPolicy.None && _retry is not null ? _retry : task.Retry,
            }
            : task;
}
