using System.Globalization;
using System.Text.Json;
using Weft.Execution;
using Weft.Templates;

namespace Weft.Mapping;

/// <summary>Template values for one instance of a map task: <c>{{ item }}</c> (a string element as
/// its text, anything else as JSON), <c>{{ item.FIELD }}</c>, <c>{{ index }}</c>; everything else as
/// the run resolves it.</summary>
internal sealed class MapInstanceValues(ITemplateValues run, string item, int index) : ITemplateValues
{
    public string Resolve(TemplateReference reference) => reference.Kind switch
    {
        TemplateReferenceKind.Index => index.ToString(CultureInfo.InvariantCulture),
        TemplateReferenceKind.Item => Item(reference),
        _ => run.Resolve(reference),
    };

    private string Item(TemplateReference reference)
    {
        using var document = JsonDocument.Parse(item);
        var element = document.RootElement;
        foreach (var member in reference.Path)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(member, out var next))
            {
                element = next;
            }
            else if (element.ValueKind == JsonValueKind.Array && int.TryParse(member, out var i) && i >= 0 && i < element.GetArrayLength())
            {
                element = element[i];
            }
            else
            {
                throw new TemplateResolutionException($"'{{{{ {reference} }}}}': element {index} has no field '{member}'");
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() ?? string.Empty,
            JsonValueKind.Null => string.Empty,
            _ => element.GetRawText(),
        };
    }
}
