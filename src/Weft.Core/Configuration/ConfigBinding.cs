using Microsoft.Extensions.Configuration;

namespace Weft.Configuration;

/// <summary>Binds checked, normalized values with the configuration binder: the options classes are
/// the schema, so C# users and the file share one set of names and defaults.</summary>
internal static class ConfigBinding
{
    /// <summary>Binds <paramref name="values"/> onto <paramref name="target"/> one top-level key at a time,
    /// touching only the keys present. (Binding the whole object would also write every property back
    /// through its setter, and <see cref="WeftOptions.Workers"/>' setter fixes the pool at its size.)</summary>
    public static void Bind(IReadOnlyDictionary<string, string> values, object target)
    {
        if (values.Count == 0)
        {
            return;
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();
        foreach (var node in ConfigSchema.Root.Children.Values.Where(n => n.Property!.DeclaringType == target.GetType()))
        {
            var section = configuration.GetSection(node.Property!.Name);
            if (!section.Exists())
            {
                continue;
            }

            var property = node.Property;
            if (node.Kind == ConfigNodeKind.Value)
            {
                property.SetValue(target, section.Value is { Length: 0 } ? null : configuration.GetValue(property.PropertyType, property.Name));
            }
            else if (property.SetMethod is { IsPublic: true })
            {
                property.SetValue(target, section.Get(property.PropertyType));
            }
            else
            {
                // Keys were checked against the options already: an unknown one here is a bug, not input.
                section.Bind(property.GetValue(target)!, o => o.ErrorOnUnknownConfiguration = false);
            }
        }
    }
}
