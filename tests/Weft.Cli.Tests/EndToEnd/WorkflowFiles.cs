namespace Weft.Tests.EndToEnd;

/// <summary>The workflow files the end-to-end tests run, written into a fresh temporary folder.
/// </summary>
internal sealed class WorkflowFiles : IDisposable
{
    public const string Hello = """
        name: hello
        params:
          who: world
        tasks:
          greet:
            shell: echo "hello {{ params.who }}"
          pause:
            sleep: 100ms
            dependsOn: [greet]
          done:
            noop: {}
            dependsOn: [greet, pause]
        """;

    public const string Failing = """
        name: failing
        tasks:
          ok:
            shell: echo fine
          broken:
            shell: exit 3
            dependsOn: [ok]
          after:
            noop: {}
            dependsOn: [broken]
        """;

    // "ghost" is not a task: an error with a place (file:line:col).
    public const string Invalid = """
        name: invalid
        tasks:
          a:
            noop: {}
          b:
            noop: {}
            dependsOn: [ghost]
        """;

    public const string LongSleep = """
        name: long
        tasks:
          wait:
            sleep: 10m
          after:
            noop: {}
            dependsOn: [wait]
        """;

    public WorkflowFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "weft-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Writes <paramref name="yaml"/> as <paramref name="name"/> and returns the file name
    /// (relative to <see cref="Directory"/>, which is the process's working directory).</summary>
    public string Write(string name, string yaml)
    {
        File.WriteAllText(Path.Combine(Directory, name), yaml);
        return name;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
