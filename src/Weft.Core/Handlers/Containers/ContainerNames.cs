using System.Security.Cryptography;
using System.Text;

namespace Weft.Handlers.Containers;

/// <summary>The container of an attempt is named from its run, task and attempt, so whoever runs a
/// later attempt (another worker, after this one died) can find and remove what was left by name.</summary>
internal static class ContainerNames
{
    private const int MaxStem = 100;

    /// <summary><c>weft-RUN-TASK-ATTEMPT</c>, in the characters docker and podman allow
    /// (<c>[a-zA-Z0-9][a-zA-Z0-9_.-]*</c>); an id that needed changing gets a hash so two ids never meet.</summary>
    public static string For(string runId, string taskId, int attempt) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Stem(runId, taskId)}-{attempt}");

    /// <summary>What every attempt of one task shares: its containers carry it as the label
    /// <c>weft.key</c>, so a later attempt finds all that earlier ones left with one query.</summary>
    public static string Key(string runId, string taskId) => Stem(runId, taskId);

    private static string Stem(string runId, string taskId)
    {
        var raw = $"weft-{runId}-{taskId}";
        var sb = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_');
        }

        var clean = sb.ToString();
        if (clean == raw && clean.Length <= MaxStem)
        {
            return clean;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..12];
        return $"{clean[..Math.Min(clean.Length, MaxStem - 13)]}-{hash}";
    }
}
