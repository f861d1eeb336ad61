using System.Text.Json.Serialization;

namespace Weft.Storage;

/// <summary>Run parameters as the stores keep them (a JSON object of strings), through generated code: the
/// reflection-based serializer costs a process about its first 10 ms building its metadata, on the path of every
/// `weft run`, and cannot run in a trimmed or natively compiled build. Same JSON as before.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RunParamsJson : JsonSerializerContext;
