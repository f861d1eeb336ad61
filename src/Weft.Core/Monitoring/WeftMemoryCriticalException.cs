namespace Weft;

/// <summary>Memory is critical (<see cref="MonitorOptions.CriticalBytes"/>) and the submission asked
/// not to wait for it to fall (<see cref="SubmitOptions.WaitIfMemoryCritical"/> false); nothing was
/// submitted. A server answers 503 with it, so clients back off instead of piling up.</summary>
public sealed class WeftMemoryCriticalException()
    : Exception("memory is critical: new runs are not taken until it falls below the warning level; try again later");
