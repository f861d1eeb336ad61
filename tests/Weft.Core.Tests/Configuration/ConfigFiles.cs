namespace Weft.Tests.Configuration;

/// <summary>A temporary folder holding configuration files, deleted at the end of a test.</summary>
internal sealed class ConfigFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("weft-config-").FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
