namespace Weft.Sql;

/// <summary>"at line L, column C of the statement, near '…'": where a database says a statement failed,
/// for people reading a task's error.</summary>
internal static class SqlPosition
{
    private const int Near = 30;

    public static string Describe(string sql, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (sql[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        var end = sql.IndexOf('\n', offset);
        var near = sql[offset..(end < 0 ? sql.Length : end)].TrimEnd('\r');
        if (near.Length > Near)
        {
            near = near[..Near] + "…";
        }

        return $"at line {line}, column {offset - lineStart + 1} of the statement, near '{near}'";
    }
}
