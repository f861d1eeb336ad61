using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Weft.Secrets;

/// <summary>The ways a task's output commonly carries a secret: raw; inside a JSON string as the usual
/// encoders write it (<c>\"</c> and <c>\\</c>; non-ASCII as <c>\u00e9</c> or <c>\u00E9</c>;
/// System.Text.Json's default, which also escapes <c>" + &lt; &gt; &amp; '</c> as <c>\u0022</c>…);
/// URL-encoded (<c>%22</c>, and <c>+</c> for space in forms); base64 of its UTF-8 bytes. A secret
/// encoded some other way (hex, a hash, split across lines) is not recognised.</summary>
internal static class SecretForms
{
    public static IEnumerable<string> Of(string secret)
    {
        yield return secret;
        yield return JsonEscaped(secret, asciiOnly: false, upperHex: false);
        yield return JsonEscaped(secret, asciiOnly: true, upperHex: false);
        yield return JsonEscaped(secret, asciiOnly: true, upperHex: true);
        yield return JsonEncodedText.Encode(secret).ToString();
        yield return Uri.EscapeDataString(secret);
        yield return WebUtility.UrlEncode(secret);
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
    }

    // What a minimal JSON encoder writes between the quotes (jq, Python's json.dumps, JavaScript's
    // JSON.stringify): the two mandatory escapes, short forms for common controls, \u for the rest.
    private static string JsonEscaped(string text, bool asciiOnly, bool upperHex)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || (asciiOnly && c > '~'))
                    {
                        sb.Append("\\u").Append(((int)c).ToString(upperHex ? "X4" : "x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
