using System.Globalization;
using CsCheck;
using Xunit.Abstractions;

namespace Weft.Tests.Fuzz;

/// <summary>Fuzzing of the workflow loader (docs/FUZZING.md): every corpus file, then mutated corpus
/// files for a bounded time, must hold <see cref="LoaderProperty"/>. In the normal suite the run is
/// short (20 s, one thread); WEFT_FUZZ_SECONDS, WEFT_FUZZ_THREADS and WEFT_FUZZ_SEED make it longer,
/// wider or a replay of a failure CsCheck reported.</summary>
public sealed class LoaderFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Corpus_EveryFile_HoldsTheProperty()
    {
        var corpus = Corpus();

        Assert.True(corpus.Count >= 15, $"the corpus has {corpus.Count} files");
        foreach (var (name, bytes) in corpus)
        {
            LoaderProperty.Check(bytes, name);
        }
    }

    [Fact]
    public void Fuzz_MutatedCorpus_HoldsTheProperty()
    {
        var seconds = Setting("WEFT_FUZZ_SECONDS", 20);
        var threads = Setting("WEFT_FUZZ_THREADS", 1);
        var inputs = 0L;

        LoaderInputs.From(Corpus()).Sample(input =>
        {
            Interlocked.Increment(ref inputs);
            LoaderProperty.Check(input.Bytes, input.FileName);
        }, writeLine: output.WriteLine, seed: Environment.GetEnvironmentVariable("WEFT_FUZZ_SEED"), time: seconds, threads: threads);

        output.WriteLine($"{inputs} inputs in {seconds} s on {threads} thread(s)");
        Assert.True(inputs > 0);
    }

    internal static IReadOnlyList<(string Name, byte[] Bytes)> Corpus()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return [.. Directory.GetFiles(Path.Combine(dir.FullName, "tests", "Fuzz", "corpus")).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
