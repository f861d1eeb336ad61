using NATS.Client.Core;
using NATS.NKeys;

namespace Weft.Nats;

/// <summary>The credentials a <see cref="NatsTransport"/> connects with, as NATS clients take them: user and
/// password or a token in the URL (read by the client itself), a creds file (JWT and seed), or an nkey
/// seed file. Messages name where the credentials come from, never what they are.</summary>
internal static class NatsCredentials
{
    /// <summary>The client's authentication options; throws <see cref="WeftConfigurationException"/> naming
    /// the file when a creds or seed file cannot be used.</summary>
    public static NatsAuthOpts AuthOf(NatsTransport transport)
    {
        if (transport.CredsFile is { } creds)
        {
            Readable(creds, "creds file");
            return NatsAuthOpts.Default with { CredsFile = creds };
        }

        if (transport.NKeySeedFile is { } file)
        {
            var seed = ReadSeed(file);
            using var pair = KeyPair.FromSeed(seed);
            return NatsAuthOpts.Default with { NKey = pair.GetPublicKey(), Seed = seed };
        }

        // User and password or a token in the URL: the client reads them from it.
        return NatsAuthOpts.Default;
    }

    /// <summary>Where the credentials come from, for messages: no secret in it.</summary>
    public static string Describe(NatsTransport transport)
    {
        if (transport.CredsFile is { } creds)
        {
            return $"the creds file '{creds}'";
        }

        if (transport.NKeySeedFile is { } seed)
        {
            return $"the nkey seed file '{seed}'";
        }

        if (Uri.TryCreate(transport.Url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            return uri.UserInfo.Contains(':', StringComparison.Ordinal)
                ? $"user '{Uri.UnescapeDataString(uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)])}' and the password in the URL"
                : "the token in the URL";
        }

        return "no credentials";
    }

    /// <summary>True when the server refused the connection's credentials (as opposed to being away).</summary>
    public static bool IsRefusal(Exception exception) => Refusal(exception) is not null;

    /// <summary>What a user sees when the server refused the credentials: the server (without secrets),
    /// where the credentials came from, and the server's word.</summary>
    public static string RefusalMessage(NatsTransport transport, Exception exception) =>
        $"NATS {transport.Describe()} refused {Describe(transport)} ({Refusal(exception)?.Message.Replace("Server error: ", "", StringComparison.Ordinal) ?? exception.Message})";

    private static NatsServerException? Refusal(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NatsServerException server
                && (server.Message.Contains("authorization", StringComparison.OrdinalIgnoreCase) || server.Message.Contains("authentication", StringComparison.OrdinalIgnoreCase)))
            {
                return server;
            }
        }

        return null;
    }

    // The user seed (SU…) of an nkey file: the file nsc or `nk -gen user` writes, or just the seed.
    private static string ReadSeed(string file)
    {
        Readable(file, "nkey seed file");
        var seed = File.ReadLines(file).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("SU", StringComparison.Ordinal));
        if (seed is null)
        {
            throw new WeftConfigurationException([$"NATS nkey seed file '{file}' holds no user seed (a line starting with SU)"]);
        }

        try
        {
            using var pair = KeyPair.FromSeed(seed);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new WeftConfigurationException([$"NATS nkey seed file '{file}' holds a seed that is not valid ({ex.GetType().Name})"]);
        }

        return seed;
    }

    private static void Readable(string file, string what)
    {
        try
        {
            using var stream = File.OpenRead(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new WeftConfigurationException([$"NATS {what} '{file}' cannot be read ({ex.Message})"]);
        }
    }
}
