using System.Text;
using Weft.Definitions;

namespace Weft.Tests.Definitions;

/// <summary>The size limits of <see cref="WorkflowLoadOptions"/>: an alias bomb, a deep nesting, a
/// file without end are each stopped with one error at the place the limit was passed, before they
/// take the memory of the process (issue #11, item 3).</summary>
public sealed class LoaderSizeLimitTests
{
    // 630 bytes standing for 9^9 (387 million) strings: what grew `weft validate` past 2.7 GB.
    internal const string AliasBomb = """
        name: bomb
        tasks:
          a:
            shell: echo hi
            with:
              l0: &a ["x","x","x","x","x","x","x","x","x"]
              l1: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
              l2: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
              l3: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
              l4: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
              l5: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
              l6: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
              l7: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
              l8: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """;

    [Fact]
    public void Parse_AliasBomb_StopsAtTheValueLimitWithoutBuildingIt()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Single(Loading.Errors(AliasBomb));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // l0 to l4 hold 74,732 values; each *e in l5 adds 66,430 more, and the 7th passes 500,000.
        Assert.Equal(new SourceLocation("flow.yaml", 11, 33), error.Location);
        Assert.StartsWith($"the workflow holds more than {WorkflowLoadOptions.DefaultMaxNodes} values here, counting each alias", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024 * 1024, $"allocated {allocated / 1024 / 1024} MB");
    }

    [Fact]
    public void Parse_MergeKeysCountAtTheSizeOfWhatTheyMerge()
    {
        // 37 values if an alias counted as one; each *d stands for 7 (the mapping, 3 keys, 3 values).
        var options = new WorkflowLoadOptions { MaxNodes = 45 };
        var errors = Loading.Errors("""
            name: merges
            defaults: &d {timeout: 1m, priority: high, trigger: allSuccess}
            tasks:
              a: {noop: {}, <<: *d}
              b: {noop: {}, <<: *d}
              c: {noop: {}, <<: *d}
              d: {noop: {}, <<: *d}
            """, options: options);

        var error = Assert.Single(errors);
        Assert.Equal(new SourceLocation("flow.yaml", 6, 21), error.Location);
        Assert.Contains("more than 45 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyAliases_ErrorAtTheFirstOneTooMany()
    {
        var error = Assert.Single(Loading.Errors("""
            name: aliases
            tasks:
              a:
                shell: echo
                with:
                  x: &x 1
                  y: *x
                  z: *x
                  w: *x
            """, options: new WorkflowLoadOptions { MaxAliases = 2 }));

        Assert.Equal(new SourceLocation("flow.yaml", 9, 10), error.Location);
        Assert.Equal("the workflow uses more than 2 aliases (*name); the most allowed is 2 (see 'Size limits' in docs/WORKFLOW-FORMAT.md)", error.Message);
    }

    [Fact]
    public void Parse_DeepYamlNesting_ErrorAtTheLevelTooDeep()
    {
        var nested = new string('[', 40) + new string(']', 40);
        var error = Assert.Single(Loading.Errors($"name: deep\ntasks:\n  a:\n    shell: echo\n    with: {nested}\n"));

        // The value of 'with' is level 4, so the 33rd level is the 30th bracket.
        Assert.Equal(new SourceLocation("flow.yaml", 5, 11 + 29), error.Location);
        Assert.StartsWith($"values are nested more than {WorkflowLoadOptions.DefaultMaxDepth} levels deep here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AliasesThatNestPastTheDepthLimit_AreStoppedAtTheAlias()
    {
        // Each alias is shallow on its own; it is what they expand to that nests 50 levels deep.
        var text = new StringBuilder("name: deep\ntasks:\n  a:\n    shell: echo\n    with:\n");
        text.Append("      l0: &l0 [[[[[[[[[[1]]]]]]]]]]\n");
        for (var i = 1; i < 6; i++)
        {
            text.Append(FormattableString.Invariant($"      l{i}: &l{i} [[[[[[[[[*l{i - 1}]]]]]]]]]\n"));
        }

        var error = Assert.Single(Loading.Errors(text.ToString()));

        Assert.Equal(8, error.Location!.Line);
        Assert.StartsWith("values are nested more than 32 levels deep here, aliases expanded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepJsonNesting_IsTheSameLimitNotASyntaxError()
    {
        var nested = new string('[', 100) + new string(']', 100);
        var error = Assert.Single(Loading.Errors("""{"name": "deep", "tasks": {"a": {"shell": "echo", "with": """ + nested + "}}}", "flow.json"));

        Assert.Equal(1, error.Location!.Line);
        Assert.StartsWith("values are nested more than 32 levels deep here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonWithTooManyValues_StopsAtTheValueLimit()
    {
        var items = string.Join(",", Enumerable.Repeat("1", 100));
        var error = Assert.Single(Loading.Errors("""{"name": "many", "tasks": {"a": {"shell": "echo", "with": [""" + items + "]}}}", "flow.json",
            new WorkflowLoadOptions { MaxNodes = 50 }));

        Assert.Equal(1, error.Location!.Line);
        Assert.Contains("more than 50 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TextAboveTheSizeLimit_IsOneErrorNamingTheLimit()
    {
        var text = "name: big\ntasks:\n  a:\n    shell: echo " + new string('x', 200) + "\n";

        var error = Assert.Single(Loading.Errors(text, options: new WorkflowLoadOptions { MaxFileBytes = 100 }));

        Assert.Null(error.Location);
        Assert.Equal("flow.yaml: the workflow is larger than 100 bytes, the most allowed (see 'Size limits' in docs/WORKFLOW-FORMAT.md)", error.Message);
    }

    [Fact]
    public void Load_EndlessStream_ReadsNoMoreThanTheLimitPlusOneByte()
    {
        using var zeros = new EndlessStream();

        var e = Assert.Throws<WorkflowValidationException>(() =>
            WorkflowLoader.Load(zeros, "zero.yaml", new WorkflowLoadOptions { MaxFileBytes = 1000 }));

        Assert.Equal(1001, zeros.BytesRead);
        Assert.Contains("larger than 1000 bytes", Assert.Single(e.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_DevZero_IsRefusedAtTheDefaultLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // no /dev/zero to read
        }

        var e = Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.LoadFile("/dev/zero"));

        Assert.Equal($"/dev/zero: the workflow is larger than {WorkflowLoadOptions.DefaultMaxFileBytes} bytes, the most allowed (see 'Size limits' in docs/WORKFLOW-FORMAT.md)",
            Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Load_FileAtTheLimit_IsRead()
    {
        var text = Encoding.UTF8.GetBytes("name: small\ntasks:\n  a:\n    noop: {}\n");
        using var stream = new MemoryStream(text);

        var definition = WorkflowLoader.Load(stream, "small.yaml", new WorkflowLoadOptions { MaxFileBytes = text.Length });

        Assert.Equal("small", definition.Name);
    }

    [Fact]
    public void Options_OutOfRange_AreAProgrammingError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowLoader.Parse("name: x", "x.yaml", new WorkflowLoadOptions { MaxDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowLoader.Parse("name: x", "x.yaml", new WorkflowLoadOptions { MaxDepth = 5000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowLoader.Parse("name: x", "x.yaml", new WorkflowLoadOptions { MaxFileBytes = 0 }));
    }

    /// <summary>Like /dev/zero, counting what was taken from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'a', offset, count);
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
