using System.Text;
using CsCheck;

namespace Weft.Tests.Fuzz;

/// <summary>Inputs for the loader fuzzing: a corpus file (tests/Fuzz/corpus) changed by a few
/// random mutations: bytes flipped, YAML and JSON tokens inserted (anchors, aliases, brackets, tags,
/// NUL, invalid UTF-8...), ranges deleted, repeated or spliced in from another file. Built from
/// CsCheck generators so that a failing input shrinks to a small one.</summary>
internal static class LoaderInputs
{
    private static readonly string[] Tokens =
    [
        "&a ", "*a", "&b [*a,*a,*a,*a,*a,*a,*a,*a]", "<<: *a\n", "<<: ", "[", "]", "{", "}", ": ", ":", "- ", ",",
        "\n", "\n  ", "\n    ", "'", "\"", "\\", "\\u0000", "#", "---\n", "...\n", "!!str ", "!!binary ", "!!int ",
        "!custom ", "? ", "|\n", ">-\n", "\t", "\0", "\r", "\u00e9", "\U0001F600", "%YAML 1.2\n", "%TAG ! tag:x:\n",
        "{{ params.x }}", "{{ tasks.a.output }}", "{{", "}}", "dependsOn: [", "shell: ", "http: ", "with: ", "noop: {}",
        "function: ", "sleep: ", "retry: ", "cache: ", "schedule: ", "timeout: ", "$schema: ", "\"$schema\": ", "1e999", "0x",
        ".inf", ".nan", "~", "null", "true", "-1", "9999999999999999999999", "1.5", "0o17", "\"a\": ", "{\"a\": [",
        "name: ", "tasks:\n", "params:\n", "defaults:\n", "pools: {db: 2}", "rateLimits: {api: 5/s}",
    ];

    private static readonly byte[][] RawBytes = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0xFE, 0xFF], [0x80]];

    private static readonly string[] FileNames = ["fuzz.yaml", "fuzz.json", "fuzz"];

    private static readonly Gen<Mutation> Mutations = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 1 << 20], Gen.Int[0, 64], Gen.Int[0, 1 << 20],
        (kind, position, length, other) => new Mutation(kind, position, length, other));

    public static Gen<Input> From(IReadOnlyList<(string Name, byte[] Bytes)> corpus) =>
        Gen.Select(Gen.Int[0, corpus.Count - 1], Mutations.Array[0, 8], Gen.Int[0, FileNames.Length - 1],
            (file, mutations, name) => new Input(Apply(corpus, file, mutations), FileNames[name], corpus[file].Name));

    private static byte[] Apply(IReadOnlyList<(string Name, byte[] Bytes)> corpus, int file, Mutation[] mutations)
    {
        var bytes = new List<byte>(corpus[file].Bytes);
        foreach (var m in mutations)
        {
            var at = bytes.Count == 0 ? 0 : m.Position % (bytes.Count + 1);
            var length = Math.Min(m.Length, bytes.Count - at);
            switch (m.Kind)
            {
                case 0 when at < bytes.Count:
                    bytes[at] = (byte)m.Other;
                    break;
                case 1 or 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[m.Other % Tokens.Length]));
                    break;
                case 3:
                    bytes.InsertRange(at, RawBytes[m.Other % RawBytes.Length]);
                    break;
                case 4:
                    bytes.RemoveRange(at, length);
                    break;
                case 5:
                    bytes.InsertRange(m.Other % (bytes.Count + 1), bytes.GetRange(at, length));
                    break;
                case 6:
                    var donor = corpus[m.Other % corpus.Count].Bytes;
                    var from = donor.Length == 0 ? 0 : m.Position % donor.Length;
                    bytes.InsertRange(at, donor.Skip(from).Take(m.Length * 4));
                    break;
                case 7:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private sealed record Mutation(int Kind, int Position, int Length, int Other);
}

/// <summary>One fuzzing input; printed as escaped text when it fails.</summary>
internal sealed record Input(byte[] Bytes, string FileName, string Seed)
{
    public override string ToString()
    {
        var text = new StringBuilder($"{FileName} (from {Seed}, {Bytes.Length} bytes): \"");
        foreach (var b in Bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return text.Append('"').ToString();
    }
}
