using System.Reflection;
using Weft.Definitions;

namespace Weft.Configuration;

internal enum ConfigNodeKind
{
    Section,
    Value,
    List,
    Map,
}

/// <summary>One key the configuration knows, found by reflection over the options classes, so a new
/// option is configurable (and checked, and shown) without being listed anywhere else.</summary>
internal sealed class ConfigNode
{
    public required string Name { get; init; }

    public required Type Type { get; init; }

    public required ConfigNodeKind Kind { get; init; }

    public PropertyInfo? Property { get; init; }

    /// <summary>True under <see cref="WeftSettings"/>, false under <see cref="WeftOptions"/>.</summary>
    public bool IsSetting { get; init; }

    public Dictionary<string, ConfigNode> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The node of each item of a list or value of a map.</summary>
    public ConfigNode? Item { get; set; }
}

/// <summary>The tree of known keys: <see cref="WeftOptions"/>' configurable properties and
/// <see cref="WeftSettings"/>' sections side by side at the top.</summary>
internal static class ConfigSchema
{
    // What only C# can give: objects, callbacks and the clock. (WeftOptions.Containers is configured as
    // the process setting `containers:`, which ApplyTo copies onto it.)
    private static readonly HashSet<string> CodeOnly = [nameof(WeftOptions.TimeProvider), nameof(WeftOptions.Store), nameof(WeftOptions.Hooks), nameof(WeftOptions.Handlers), nameof(WeftOptions.OnAlert), nameof(WeftOptions.LoggerFactory), nameof(RetryPolicy.RetryOn), nameof(Cluster.ClusterSchedulingOptions.Schedule), nameof(WeftOptions.Containers)];

    public static ConfigNode Root { get; } = BuildRoot();

    public static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The node for a configuration key (<c>pool:maxWorkers</c>), or null with the segment that
    /// is unknown and the parent node whose names a suggestion draws on.</summary>
    public static ConfigNode? Find(string key, out int badSegment, out ConfigNode parent)
    {
        var node = Root;
        var segments = key.Split(':');
        parent = node;
        for (var i = 0; i < segments.Length; i++)
        {
            parent = node;
            ConfigNode? next = node.Kind switch
            {
                ConfigNodeKind.Section => node.Children.GetValueOrDefault(segments[i]),
                ConfigNodeKind.List => int.TryParse(segments[i], out var index) && index >= 0 ? node.Item : null,
                ConfigNodeKind.Map => node.Item,
                _ => null,
            };
            if (next is null)
            {
                badSegment = i;
                return null;
            }

            node = next;
        }

        badSegment = -1;
        return node;
    }

    private static ConfigNode BuildRoot()
    {
        var root = new ConfigNode { Name = "", Type = typeof(WeftOptions), Kind = ConfigNodeKind.Section };
        AddChildren(root, typeof(WeftOptions), isSetting: false);
        AddChildren(root, typeof(WeftSettings), isSetting: true);
        return root;
    }

    private static void AddChildren(ConfigNode parent, Type type, bool isSetting)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (CodeOnly.Contains(property.Name) && type != typeof(WeftSettings) || parent.Children.ContainsKey(property.Name))
            {
                continue;
            }

            if (NodeFor(property.PropertyType, CamelCase(property.Name), property, isSetting) is { } node)
            {
                parent.Children[property.Name] = node;
            }
        }
    }

    private static ConfigNode? NodeFor(Type type, string name, PropertyInfo? property, bool isSetting)
    {
        if (ConfigScalars.IsScalar(type))
        {
            return property is null || property.SetMethod is { IsPublic: true }
                ? new ConfigNode { Name = name, Type = type, Kind = ConfigNodeKind.Value, Property = property, IsSetting = isSetting }
                : null;
        }

        if (CollectionItem(type, out var isMap) is { } itemType)
        {
            var item = NodeFor(itemType, "", null, isSetting);
            return item is null ? null : new ConfigNode { Name = name, Type = type, Kind = isMap ? ConfigNodeKind.Map : ConfigNodeKind.List, Property = property, IsSetting = isSetting, Item = item };
        }

        if (type.IsClass && type.Namespace?.StartsWith("Weft", StringComparison.Ordinal) == true && type.GetConstructor(Type.EmptyTypes) is not null)
        {
            var section = new ConfigNode { Name = name, Type = type, Kind = ConfigNodeKind.Section, Property = property, IsSetting = isSetting };
            AddChildren(section, type, isSetting);
            return section;
        }

        return null;
    }

    private static Type? CollectionItem(Type type, out bool isMap)
    {
        isMap = false;
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var args = type.GetGenericArguments();
        if (definition == typeof(IList<>) || definition == typeof(List<>))
        {
            return args[0];
        }

        if ((definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>)) && args[0] == typeof(string))
        {
            isMap = true;
            return args[1];
        }

        return null;
    }
}
