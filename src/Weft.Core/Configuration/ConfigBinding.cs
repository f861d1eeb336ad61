using Microsoft.Extensions.Configuration;

namespace Weft.Configuration;

/// <summary>Binds checked, normalized values with the configuration binder: the options classes are
/// the schema, so C# users and the file share one set of names and defaults.</summary>
internal static class ConfigBinding
{
    public static void Bind(IReadOnlyDictionary<string, string> values, object target)
    {
        if (values.Count == 0)
        {
            return;
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();

        // Keys were checked against the options already; an error here would be a bug, not user input.
        configuration.Bind(target, o => o.ErrorOnUnknownConfiguration = false);
    }
}
