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
}
