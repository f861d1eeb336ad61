using System.Text.Json.Serialization;

namespace Weft.Cluster;

[JsonSerializable(typeof(TaskPayload.Document))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class PayloadJson : JsonSerializerContext;
