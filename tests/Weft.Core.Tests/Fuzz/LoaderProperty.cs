using Weft.Definitions;

namespace Weft.Tests.Fuzz;

/// <summary>What the workflow loader must do with any bytes at all: return a definition, or throw
/// <see cref="WorkflowValidationException"/> whose every error has a place in the input (or is the
/// "… and N more" summary), and stay within its size limits while doing so. Anything else thrown,
/// an error without a place, or more memory than the limits allow is a failure.</summary>
internal static class LoaderProperty
{
    /// <summary>Smaller than the defaults so that a few-kilobyte input can reach them, which is
    /// where the code that enforces them gets exercised.</summary>
    public static readonly WorkflowLoadOptions Options = new()
    {
        MaxFileBytes = 64 * 1024,
        MaxNodes = 20_000,
        MaxAliases = 2_000,
        MaxDepth = WorkflowLoadOptions.DefaultMaxDepth,
        MaxErrors = 50,
    };

    /// <summary>Generous: about a kilobyte per value allowed, plus a thousand times the input.</summary>
    public static long MaxAllocatedBytes(int inputLength) => 64L * 1024 * 1024 + 1000L * inputLength;

    public static void Check(byte[] input, string fileName)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        WorkflowDefinition? definition = null;
        try
        {
            definition = WorkflowLoader.Load(new MemoryStream(input, writable: false), fileName, Options);
        }
        catch (WorkflowValidationException e)
        {
            CheckErrors(e.Errors, fileName);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > MaxAllocatedBytes(input.Length))
        {
            throw new InvalidOperationException($"loading {input.Length} bytes allocated {allocated / 1024 / 1024} MB");
        }

        if (definition is not null)
        {
            CheckStoredFormReadsBack(definition);
        }
    }

    private static void CheckErrors(IReadOnlyList<WorkflowError> errors, string fileName)
    {
        if (errors.Count == 0)
        {
            throw new InvalidOperationException("a WorkflowValidationException without errors");
        }

        for (var i = 0; i < errors.Count; i++)
        {
            var error = errors[i];
            var isSummary = i == errors.Count - 1 && error.Message.StartsWith("… and ", StringComparison.Ordinal);
            if (isSummary)
            {
                continue;
            }

            if (error.Location is not { } place || place.File != fileName || place.Line < 1 || place.Column < 1)
            {
                throw new InvalidOperationException($"an error without a proper place: {error}");
            }

            if (string.IsNullOrWhiteSpace(error.Message) || error.Message.Contains("\n   at ", StringComparison.Ordinal) || error.Message.Length > 2000)
            {
                throw new InvalidOperationException($"an error without a proper message: {error}");
            }
        }
    }

    // What the server stores is read back by cluster workers and after a restart: an accepted
    // definition must survive that round trip unchanged.
    private static void CheckStoredFormReadsBack(WorkflowDefinition definition)
    {
        var json = DefinitionJson.Write(definition);
        var back = WorkflowLoader.Parse(json, "stored.json", WorkflowLoadOptions.ForStoredDefinition(
            [.. definition.Tasks.Select(t => t.Spec.Kind).Where(k => !Names.BuiltInKinds.Contains(k))]));
        var again = DefinitionJson.Write(back);
        if (again != json)
        {
            throw new InvalidOperationException($"the stored form changed when read back:\n{json}\n{again}");
        }
    }
}
