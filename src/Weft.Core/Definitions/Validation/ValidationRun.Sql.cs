using Weft.Templates;

namespace Weft.Definitions.Validation;

/// <summary>Checks of <c>sql:</c> tasks: a connection name that can be configured, a query without
/// templates (values travel as bound parameters, never spliced into SQL), parameter names a database
/// accepts after <c>@</c>.</summary>
internal sealed partial class ValidationRun
{
    private void CheckSql(int i, SqlSpec sql)
    {
        var id = _def.Tasks[i].Id;
        if (!IsSqlName(sql.Connection, allowDash: true))
        {
            Error(Place(i, "sql.connection"), $"connection name '{sql.Connection}' in task '{id}' is not valid; use letters, digits, '_' and '-' (it names a connection in the configuration, not a connection string)");
        }

        if (string.IsNullOrWhiteSpace(sql.Query))
        {
            Error(Place(i, "sql.query"), $"'sql' in task '{id}' has an empty query");
        }
        else if (Template.MayContainReferences(sql.Query) && Template.Parse(sql.Query).References.FirstOrDefault() is { } reference)
        {
            Error(Place(i, "sql.query", reference.Offset),
                $"the query of task '{id}' holds the template {{{{ {reference} }}}}; values are never spliced into SQL: write a parameter such as @value in the query and give it under 'params' (value: \"{{{{ {reference} }}}}\")");
        }

        foreach (var name in sql.Params?.Keys ?? [])
        {
            if (!IsSqlName(name, allowDash: false))
            {
                Error(Place(i, Loading.FieldPaths.Member("sql.params", name)), $"parameter name '{name}' in task '{id}' is not valid; use letters, digits and '_', starting with a letter or '_' (the query names it @{name})");
            }
        }
    }

    private static bool IsSqlName(string name, bool allowDash) =>
        name.Length is > 0 and <= 128
        && (allowDash || !char.IsAsciiDigit(name[0]))
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || (allowDash && c == '-'));
}
