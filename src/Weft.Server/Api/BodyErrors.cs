using System.Text.Json;

namespace Weft.Server.Api;

/// <summary>Says what is wrong with a submit request's JSON body in the API's own words: the
/// serializer's messages name .NET types ("could not be converted to System.Nullable`1[…]"), which
/// mean nothing to a client and tell more about the server than it needs to know.</summary>
internal static class BodyErrors
{
    public static (string Field, string Message) Describe(JsonException ex)
    {
        var where = $"line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}";

        // The reader's own errors (broken JSON) come wrapped; a value of the wrong type does not.
        if (ex.InnerException is JsonException || ex.Path is null or "$")
        {
            return ("body", $"the body is not valid JSON ({where}); send {{\"definition\": \"...\"}} or {{\"workflow\": \"name\"}}");
        }

        var field = ex.Path.TrimStart('$', '.');
        var top = field.Split('.', '[')[0];
        var expected = top switch
        {
            "notBefore" => "an ISO-8601 time such as 2026-01-31T02:00:00Z",
            "version" => "a whole number",
            "params" => "an object of text values, such as {\"name\": \"value\"}",
            _ => "text",
        };
        return (top, $"'{field}' must be {expected} ({where})");
    }
}
