using System.Text.Json;
using Weft.Execution;
using Weft.Templates;

namespace Weft.Scheduling;

/// <summary>Template values for every task of the run. Validation guarantees that a task only names
/// upstream tasks, which are final (and so unchanging) before it starts.</summary>
internal sealed partial class RunExecution : ITemplateValues
{
    public string Resolve(TemplateReference reference)
    {
        switch (reference.Kind)
        {
            case TemplateReferenceKind.Param:
                return Params.TryGetValue(reference.Name, out var value)
                    ? value
                    : throw new TemplateResolutionException($"no parameter named '{reference.Name}'");
            case TemplateReferenceKind.RunId:
                return RunId;
            default:
                return ResolveOutput(reference);
        }
    }

    private string ResolveOutput(TemplateReference reference)
    {
        if (!Plan.IndexOf.TryGetValue(reference.Name, out var index))
        {
            throw new TemplateResolutionException($"no task named '{reference.Name}'");
        }

        var output = Slots[index].Output ?? string.Empty;
        if (reference.Path.Count == 0)
        {
            return output;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException)
        {
            throw new TemplateResolutionException(
                $"'{{{{ {reference} }}}}' reads a field, but the output of task '{reference.Name}' is not JSON");
        }

        using (document)
        {
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
                    throw new TemplateResolutionException(
                        $"'{{{{ {reference} }}}}': the output of task '{reference.Name}' has no field '{member}'");
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
}
