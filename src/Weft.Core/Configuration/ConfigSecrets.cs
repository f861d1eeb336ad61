using System.Text.RegularExpressions;

namespace Weft.Configuration;

/// <summary>What <c>weft config show</c> must not print: tokens, keys, passwords, and the password inside
/// a connection string (<c>Password=…</c> or <c>postgres://user:PASSWORD@host</c>), and the token of a NATS
/// URL (<c>nats://TOKEN@host</c>).</summary>
internal static partial class ConfigSecrets
{
    public const string Mask = "***";

    public static string Hide(string path, string value)
    {
        var last = path[(path.LastIndexOf('.') + 1)..];
        if (value.Length > 0 && value != "null" && (last.EndsWith("token", StringComparison.OrdinalIgnoreCase)
            || last.EndsWith("password", StringComparison.OrdinalIgnoreCase)
            || last.Equals("key", StringComparison.OrdinalIgnoreCase)
            || last.EndsWith("secret", StringComparison.OrdinalIgnoreCase)))
        {
            return Mask;
        }

        value = KeywordPassword().Replace(value, m => m.Groups[1].Value + Mask);
        value = UrlPassword().Replace(value, m => m.Groups[1].Value + Mask + "@");

        // A NATS URL's user info without a password is a token: all of it is the secret.
        return NatsToken().Replace(value, m => m.Groups[1].Value + Mask + "@");
    }

    [GeneratedRegex(@"((?:^|;)\s*(?:password|pwd)\s*=\s*)[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex KeywordPassword();

    [GeneratedRegex(@"(://[^:/@\s]*:)[^@\s]*@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"((?:^|\s)(?:nats|tls)://)[^:/@\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex NatsToken();
}
