namespace Weft.Handlers;

/// <summary>The task's arguments do not fit the function's parameters (missing, wrong type). The
/// message is the whole story, so the handler reports it without an exception type.</summary>
internal sealed class FunctionArgumentException(string message) : Exception(message);
