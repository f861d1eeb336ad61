namespace Weft.Definitions;

/// <summary>What a <see cref="SqlSpec"/> task's output is.</summary>
public enum SqlResult
{
    /// <summary>The rows of the last statement that returns rows, as a JSON array of objects (column name
    /// to value), cut at the task's output limit on a row boundary.</summary>
    Rows,

    /// <summary>The first column of the first row, as text; no output when there is no row or it is null.</summary>
    Scalar,

    /// <summary>No output: the statements are run for their effect.</summary>
    None,
}

/// <summary>Runs a query on a named connection of the process's configuration. Template values reach
/// the database only as bound parameters (<see cref="Params"/>), never spliced into the query text.</summary>
/// <param name="Connection">The name of a connection from the configuration file's <c>connections:</c>
/// or an environment variable <c>WEFT_CONNECTION_NAME</c>; never a connection string.</param>
/// <param name="Query">The SQL text; parameters are written <c>@name</c>. Holds no templates.</param>
public sealed record SqlSpec(string Connection, string Query) : TaskSpec
{
    /// <summary>Always <c>sql</c>.</summary>
    public override string Kind => "sql";

    /// <summary>Parameter values by name (without the <c>@</c>); each value may hold templates, and is
    /// sent as a bound parameter. Null for none.</summary>
    public IReadOnlyDictionary<string, string>? Params { get; init; }

    /// <summary>What the output is. Default <see cref="SqlResult.Rows"/>.</summary>
    public SqlResult Result { get; init; } = SqlResult.Rows;

    /// <summary>Run the statements in one transaction, committed only when all succeed.</summary>
    public bool Transaction { get; init; }
}
