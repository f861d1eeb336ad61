namespace Weft.Server.Tests;

/// <summary>Workflow texts the tests submit.</summary>
internal static class Workflows
{
    public const string Hello = """
        name: hello
        tasks:
          greet:
            shell: echo hello-from-weft
          second:
            noop: {}
          done:
            noop: {}
            dependsOn: [greet, second]
        """;

    public const string Slow = """
        name: slow
        tasks:
          wait:
            sleep: 30s
          after:
            noop: {}
            dependsOn: [wait]
        """;

    public const string Secret = """
        name: secretive
        params:
          password: { secret: true, default: hunter2-very-secret }
        tasks:
          leak:
            shell: 'echo "pw={{ params.password }}"'
        """;

    /// <summary>`load` calls the function `flaky` (the test decides when it fails); `mail` calls
    /// `broken`, which fails on its own; `report` depends on `load`.</summary>
    public const string Flaky = """
        name: flaky
        tasks:
          extract:
            shell: echo rows
          load:
            function: flaky
            dependsOn: [extract]
          report:
            noop: {}
            dependsOn: [load]
          mail:
            function: broken
        """;
}
