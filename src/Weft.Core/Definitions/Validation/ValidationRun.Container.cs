using Weft.Templates;

namespace Weft.Definitions.Validation;

/// <summary>Checks of a <c>container:</c> task that would otherwise fail only when it runs.</summary>
internal sealed partial class ValidationRun
{
    private void CheckContainer(int i, ContainerSpec container)
    {
        var id = _def.Tasks[i].Id;
        if (string.IsNullOrWhiteSpace(container.Image))
        {
            Error(Place(i, "container.image"), $"'container' in task '{id}' has an empty image");
        }
        else if (Literal(container.Image) is { } image && (image.StartsWith('-') || image.Any(char.IsWhiteSpace)))
        {
            // The image is one argument of `run`: one that reads as an option or holds spaces is a mistake.
            Error(Place(i, "container.image"), $"the image of task '{id}' must be an image reference such as alpine:3.20, not '{container.Image}'");
        }

        if (container.Command is not null && container.Script is not null)
        {
            Error(Place(i, "container.command"), $"'container' in task '{id}' has a command both as a list and as a shell string; give one");
        }

        if (container.Script is { } script && string.IsNullOrWhiteSpace(script))
        {
            Error(Place(i, "container.command"), $"'container' in task '{id}' has an empty command");
        }

        if (container.Network is { } network && Literal(network) is { } literal && !IsNetworkName(literal))
        {
            Error(Place(i, "container.network"), $"the network of task '{id}' must be none, bridge, host or a network's name (letters, digits, '_', '.', '-'), not '{network}'");
        }

        CheckEnvNames(i, "container.env", container.Env);
    }

    /// <summary>The text when it holds no template (its value is known now), else null.</summary>
    private static string? Literal(string text) =>
        Template.MayContainReferences(text) && Template.Parse(text).HasReferences ? null : text;

    private static bool IsNetworkName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
