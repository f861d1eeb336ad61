namespace Weft.Tests.EndToEnd;

/// <summary>The workflow files the end-to-end tests run, written into a fresh temporary folder.
/// The YAML shape here (a <c>tasks</c> list of <c>id</c> + one kind key + <c>dependsOn</c>) was written
/// before the loader existed: if the merged loader reads a different shape, fix it here, in one place.</summary>
internal sealed class WorkflowFiles : IDisposable
{
    public const string Hello = """
        name: hello
        tasks:
          - id: greet
            shell: echo hello
          - id: pause
            sleep: 100ms
            dependsOn: [greet]
          - id: done
            noop: {}
            dependsOn: [greet, pause]
        """;

    public const string Failing = """
        name: failing
        tasks:
          - id: ok
            shell: echo fine
          - id: broken
            shell: exit 3
            dependsOn: [ok]
          - id: after
            noop: {}
            dependsOn: [broken]
        """;

    // "ghost" is not a task: an error with a place (file:line:col).
    public const string Invalid = """
        name: invalid
        tasks:
          - id: a
            noop: {}
          - id: b
            noop: {}
            dependsOn: [ghost]
        """;

    public const string LongSleep = """
        name: long
        tasks:
          - id: wait
            sleep: 10m
          - id: after
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
