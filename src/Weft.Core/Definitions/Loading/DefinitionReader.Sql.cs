namespace Weft.Definitions.Loading;

/// <summary>Reading <c>sql:</c>: a named connection, a query, its bound parameters and what to keep.</summary>
internal sealed partial class DefinitionReader
{
    private static readonly string[] SqlFields = ["connection", "query", "params", "result", "transaction"];

    private static readonly (string Name, SqlResult Value)[] SqlResults =
    [
        ("rows", SqlResult.Rows), ("scalar", SqlResult.Scalar), ("none", SqlResult.None),
    ];

    private SqlSpec? ReadSql(int index, DocNode value, string ctx)
    {
        if (value is not DocMapping map)
        {
            Error(value.Location, $"'sql' {ctx} must be a mapping with {Names.List(SqlFields)}, not {value.Describe}");
            return null;
        }

        var f = Fields(map, $"of 'sql' {ctx}", SqlFields);
        string? connection = null;
        string? query = null;
        if (!f.TryGetValue("connection", out var c))
        {
            Error(map.Location, $"'sql' {ctx} has no 'connection' (the name of a connection in the configuration)");
        }
        else
        {
            AddPlace(index, "sql.connection", c.Value);
            connection = Text(c.Value, $"'connection' {ctx}");
        }

        if (!f.TryGetValue("query", out var q))
        {
            Error(map.Location, $"'sql' {ctx} has no 'query'");
        }
        else
        {
            AddPlace(index, "sql.query", q.Value);
            query = Text(q.Value, $"'query' {ctx}");
        }

        var spec = new SqlSpec(connection ?? string.Empty, query ?? string.Empty)
        {
            Params = f.TryGetValue("params", out var p) ? TextMap(index, "sql.params", p.Value, $"'params' {ctx}") : null,
            Result = f.TryGetValue("result", out var r) ? Enum(r.Value, "result", ctx, SqlResults) ?? SqlResult.Rows : SqlResult.Rows,
            Transaction = f.TryGetValue("transaction", out var t) && (Bool(t.Value, $"'transaction' {ctx}") ?? false),
        };
        return connection is null || query is null ? null : spec;
    }
}
