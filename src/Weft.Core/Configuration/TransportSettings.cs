namespace Weft.Configuration;

/// <summary>How a cluster's scheduler and workers exchange work.</summary>
public enum TransportKind
{
    /// <summary>Through the store's tables (the only transport today).</summary>
    Store,
}

/// <summary>The <c>transport:</c> section.</summary>
public sealed class TransportSettings
{
    /// <summary>How tasks reach workers: through the store (the default) or another transport.</summary>
    public TransportKind Kind { get; set; } = TransportKind.Store;
}
