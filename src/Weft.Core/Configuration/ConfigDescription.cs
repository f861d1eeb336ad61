using System.Collections;

namespace Weft.Configuration;

/// <summary>Walks the known keys over bound options and lists each value with its source.</summary>
internal static class ConfigDescription
{
    public static IReadOnlyList<ConfigEntry> Entries(WeftOptions options, WeftSettings settings, Func<string, string> sourceOf)
    {
        var entries = new List<ConfigEntry>();
        foreach (var node in ConfigSchema.Root.Children.Values)
        {
            // `workers` only reads the pool's size back: shown when set, the pool's lines say the rest.
            if (node.Property!.Name == nameof(WeftOptions.Workers) && sourceOf(node.Property.Name) == "default")
            {
                continue;
            }

            Walk(node, node.IsSetting ? settings : options, node.Property!.Name, entries, sourceOf);
        }

        return entries;
    }

    private static void Walk(ConfigNode node, object owner, string key, List<ConfigEntry> entries, Func<string, string> sourceOf)
    {
        var value = node.Property!.GetValue(owner);
        switch (node.Kind)
        {
            case ConfigNodeKind.Section when value is null:
                Add(entries, key, "null", sourceOf);
                break;
            case ConfigNodeKind.Section:
                foreach (var child in node.Children.Values)
                {
                    Walk(child, value, $"{key}:{child.Property!.Name}", entries, sourceOf);
                }

                break;
            case ConfigNodeKind.List:
                var i = 0;
                foreach (var item in (IEnumerable)value!)
                {
                    Add(entries, $"{key}:{i++}", ConfigScalars.Format(item), sourceOf);
                }

                break;
            case ConfigNodeKind.Map:
                foreach (DictionaryEntry pair in (IDictionary)value!)
                {
                    var itemKey = $"{key}:{pair.Key}";
                    if (node.Item!.Kind == ConfigNodeKind.Section)
                    {
                        foreach (var child in node.Item.Children.Values)
                        {
                            Add(entries, $"{itemKey}:{child.Property!.Name}", ConfigScalars.Format(child.Property.GetValue(pair.Value)), sourceOf);
                        }
                    }
                    else
                    {
                        Add(entries, itemKey, ConfigScalars.Format(pair.Value), sourceOf);
                    }
                }

                break;
            default:
                Add(entries, key, ConfigScalars.Format(value), sourceOf);
                break;
        }
    }

    private static void Add(List<ConfigEntry> entries, string key, string value, Func<string, string> sourceOf)
    {
        // Map keys keep the user's spelling; the rest reads as the file writes it.
        var path = WeftConfiguration.Display(key);
        entries.Add(new ConfigEntry(path, ConfigSecrets.Hide(path, value), sourceOf(key)));
    }
}
