namespace Weft.Definitions.Loading;

/// <summary>Counts what a document expands to while it is read, and stops the reading (with a
/// <see cref="DocumentLimitException"/> at the place) as soon as it passes a limit. Counting as the
/// nodes are made, rather than checking the finished tree, is what keeps an alias bomb from ever
/// being built: an alias adds the full size of what it stands for, although the tree shares it.</summary>
internal sealed class DocumentBudget(WorkflowLoadOptions options)
{
    private const string SeeDocs = "see 'Size limits' in docs/WORKFLOW-FORMAT.md";

    private long _nodes;
    private int _aliases;

    /// <summary>Adds <paramref name="count"/> values (one node, or an alias's whole target).</summary>
    public void AddNodes(SourceLocation place, long count)
    {
        _nodes += count;
        if (_nodes > options.MaxNodes)
        {
            throw new DocumentLimitException(place,
                $"the workflow holds more than {options.MaxNodes} values here, counting each alias at the size of what it stands for; " +
                $"the most allowed is {options.MaxNodes} ({SeeDocs})");
        }
    }

    public void AddAlias(SourceLocation place)
    {
        if (++_aliases > options.MaxAliases)
        {
            throw new DocumentLimitException(place,
                $"the workflow uses more than {options.MaxAliases} aliases (*name); the most allowed is {options.MaxAliases} ({SeeDocs})");
        }
    }

    /// <summary>Checks a node that reaches nesting level <paramref name="depth"/> (the root is 1).</summary>
    public void CheckDepth(SourceLocation place, int depth)
    {
        if (depth > options.MaxDepth)
        {
            throw new DocumentLimitException(place,
                $"values are nested more than {options.MaxDepth} levels deep here, aliases expanded; the most allowed is {options.MaxDepth} ({SeeDocs})");
        }
    }
}
