namespace Weft.Definitions;

/// <summary>What a <see cref="RetryCondition"/> matches.</summary>
public enum RetryConditionKind
{
    /// <summary><c>exit:N</c> — the process exited with code N.</summary>
    ExitCode,

    /// <summary><c>http:NNN</c> — the response had exactly this status.</summary>
    HttpStatus,

    /// <summary><c>http:5xx</c> — the response status was in this hundred.</summary>
    HttpStatusClass,

    /// <summary><c>timeout</c> — the attempt ran past its timeout.</summary>
    Timeout,

    /// <summary><c>error</c> — any failure that has neither exit code nor HTTP status (an exception, a
    /// connection refused).</summary>
    Error,
}

/// <summary>One entry of <c>retryOn</c>: which failures are worth another attempt.</summary>
public readonly record struct RetryCondition(RetryConditionKind Kind, int Value = 0)
{
    /// <summary>The written form: <c>exit:N</c>, <c>http:NNN</c>, <c>http:Nxx</c>, <c>timeout</c> or <c>error</c>.</summary>
    public override string ToString() => Kind switch
    {
        RetryConditionKind.ExitCode => $"exit:{Value}",
        RetryConditionKind.HttpStatus => $"http:{Value}",
        RetryConditionKind.HttpStatusClass => $"http:{Value}xx",
        RetryConditionKind.Timeout => "timeout",
        _ => "error",
    };
}
