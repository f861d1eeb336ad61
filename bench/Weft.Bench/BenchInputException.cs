namespace Weft.Bench;

/// <summary>The benchmark cannot run as asked, and nothing has run (the CLI exits 2 with the message).</summary>
internal sealed class BenchInputException(string message) : Exception(message);
