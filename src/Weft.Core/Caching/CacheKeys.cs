using System.Security.Cryptography;
using System.Text;
using Weft.Definitions;
using Weft.Scheduling;

namespace Weft.Caching;

/// <summary>Cache keys: lowercase hex SHA-256 over the workflow name, the task id and either the
/// rendered explicit key or what determines the task's work — its kind, its spec with every
/// template rendered, and its parents' outputs. Fields are length-prefixed so no two different
/// inputs hash the same text.</summary>
internal static class CacheKeys
{
    // Bump when the inputs change, so old persisted entries stop matching instead of lying.
    private const string Version = "weft-cache/1";

    /// <summary>Throws <see cref="Execution.TemplateResolutionException"/> when a template cannot be
    /// resolved (the caller then runs the task, whose handler reports it).</summary>
    public static string For(RunExecution run, int task, CachePolicy policy)
    {
        var plan = run.Plan;
        var definition = run.TaskDef(task);
        var values = run.ValuesFor(task);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, Version);
        Append(hash, run.WorkflowName);
        Append(hash, definition.Id);
        if (policy.Key is { } key)
        {
            Append(hash, "key");
            Append(hash, SpecRenderer.Render(key, values));
        }
        else
        {
            Append(hash, "spec");
            Append(hash, definition.Kind);
            Append(hash, SpecText(SpecRenderer.Render(definition.Spec, values)));

            // Parents are final before a task starts, so reading their outputs outside the lock is safe.
            // A map instance's input is its element (hashed below), not the whole list: a list that
            // grows reuses the instances of the elements it already had.
            var parents = run.FanOutOf(task) is null ? plan.ParentsOf(task) : [];
            foreach (var parent in parents)
            {
                ref readonly var slot = ref run.Slots[parent];
                Append(hash, plan.TaskIds[parent]);
                Append(hash, slot.Output is null ? "n" : slot.OutputTruncated ? "t" : "o");
                Append(hash, slot.Output ?? string.Empty);
            }
        }

        // An instance's work is its element's, whether or not its spec names it.
        if (run.FanOutOf(task) is { } fan)
        {
            Append(hash, "item");
            Append(hash, fan.Items[task - fan.First]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // The workflow file form of the rendered spec: deterministic, and covers every field of every kind.
    private static string SpecText(TaskSpec spec) =>
        DefinitionJson.Write(new WorkflowDefinition("cache", [new TaskDefinition("task", spec)]));

    private static void Append(IncrementalHash hash, string text)
    {
        Span<byte> length = stackalloc byte[4];
        var bytes = Encoding.UTF8.GetBytes(text);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
