using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary><c>sql:</c> in a workflow file: what it reads into, and each mistake at its place.</summary>
public sealed class SqlDefinitionTests
{
    [Fact]
    public void Parse_ASqlTask_ReadsEveryField_AndRoundTripsThroughTheStoredForm()
    {
        var definition = WorkflowLoader.Parse(Loading.Text("""
            name: report
            params: { day: "2026-01-01" }
            tasks:
              totals:
                sql:
                  connection: warehouse
                  query: "select region, sum(amount) as total from orders where day = @day group by region"
                  params: { day: "{{ params.day }}" }
                  result: scalar
                  transaction: true
            """), "flow.yaml");

        var spec = Assert.IsType<SqlSpec>(definition.Tasks.Single().Spec);
        Assert.Equal("warehouse", spec.Connection);
        Assert.Equal("{{ params.day }}", spec.Params!["day"]);
        Assert.Equal(SqlResult.Scalar, spec.Result);
        Assert.True(spec.Transaction);
        var again = WorkflowLoader.Parse(DefinitionJson.Write(definition), "stored.json");
        Assert.Equal(DefinitionJson.Write(definition), DefinitionJson.Write(again));
        Assert.Equal(spec.Query, Assert.IsType<SqlSpec>(again.Tasks.Single().Spec).Query);
    }

    [Fact]
    public void Parse_ATemplateInTheQuery_IsRefusedAtItsPlace_PointingToParams()
    {
        var error = Loading.Single("""
            name: inject
            params: { who: x }
            tasks:
              q:
                sql:
                  connection: db
                  query: "select * from people where name = '{{ params.who }}'"
            """, 7, 50);

        Assert.Equal(
            "the query of task 'q' holds the template {{ params.who }}; values are never spliced into SQL: write a parameter such as @value in the query and give it under 'params' (value: \"{{ params.who }}\")",
            error.Message);
    }

    [Theory]
    [InlineData("sql: { query: \"select 1\" }", 4, 10, "'sql' in task 'q' has no 'connection' (the name of a connection in the configuration)")]
    [InlineData("sql: { connection: db }", 4, 10, "'sql' in task 'q' has no 'query'")]
    [InlineData("sql: \"select 1\"", 4, 10, "'sql' in task 'q' must be a mapping with connection, query, params, result and transaction, not ")]
    [InlineData("sql: { connection: db, query: \"select 1\", result: table }", 4, 55, "bad result 'table' in task 'q'; expected one of: rows, scalar, none")]
    [InlineData("sql: { connection: \"postgres://u:p@h/db\", query: \"select 1\" }", 4, 24, "connection name 'postgres://u:p@h/db' in task 'q' is not valid; use letters, digits, '_' and '-' (it names a connection in the configuration, not a connection string)")]
    [InlineData("sql: { connection: db, query: \"select @1x\", params: { 1x: a } }", 4, 63, "parameter name '1x' in task 'q' is not valid; use letters, digits and '_', starting with a letter or '_' (the query names it @1x)")]
    [InlineData("sql: { connection: db, query: \"select 1\", timeout: 5s }", 4, 47, "unknown field 'timeout' of 'sql' in task 'q'")]
    public void Parse_ABadSqlTask_IsReportedAtItsPlace(string task, int line, int column, string message)
    {
        var error = Loading.Single($"""
            name: bad
            tasks:
              q:
                {task}
            """, line, column);

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
