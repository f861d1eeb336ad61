using System.Security.Cryptography;
using System.Text;

namespace Weft.ChildWorkflows;

/// <summary>A child run's id follows from its parent run, task and attempt: whoever holds the parent after a
/// restart or a leader takeover computes the same id and finds the child already recorded, so one attempt
/// never starts two children. The id has the shape of every other run id (32 hex digits) and does not
/// start with the parent's, so a shortened parent id stays unambiguous.</summary>
internal static class ChildRunIds
{
    public static string For(string parentRunId, string taskId, int attempt)
    {
        var key = $"{parentRunId}\n{taskId}\n{attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }
}
