namespace Weft.Definitions.Validation;

/// <summary>How the shell quotes the text at a place in a <c>shell:</c> command, found by a small scan
/// of quotes, backslashes and <c>$( )</c> nesting. Used for warnings only: a wrong guess costs a
/// needless warning, never safety (values never enter the command text; see ShellCommandRewriter).</summary>
internal static class ShellTemplateQuoting
{
    public enum Quoting
    {
        Double,
        Single,
        None,
    }

    /// <summary>The quoting in force at <paramref name="offset"/> of <paramref name="command"/>. Other
    /// <c>{{ ... }}</c> expressions before it are skipped whole: an escape (<c>{{ '{{' }}</c>) holds
    /// quotes that the shell never sees.</summary>
    public static Quoting At(string command, int offset)
    {
        var outer = new Stack<Quoting>();
        var state = Quoting.None;
        for (var i = 0; i < offset && i < command.Length; i++)
        {
            var c = command[i];
            if (state != Quoting.Single && c == '{' && At(command, i, "{{"))
            {
                var close = command.IndexOf("}}", i + 2, StringComparison.Ordinal);
                if (close >= 0)
                {
                    i = close + 1;
                    continue;
                }
            }

            switch (state)
            {
                case Quoting.Single when c == '\'':
                    state = Quoting.None;
                    break;
                case Quoting.Single:
                    break;
                case Quoting.Double or Quoting.None when c == '\\':
                    i++;
                    break;
                case Quoting.Double or Quoting.None when c == '$' && At(command, i, "$("):
                    // A command substitution starts its own quoting, even inside double quotes.
                    outer.Push(state);
                    state = Quoting.None;
                    i++;
                    break;
                case Quoting.None when c == ')' && outer.Count > 0:
                    state = outer.Pop();
                    break;
                case Quoting.None when c == '\'':
                    state = Quoting.Single;
                    break;
                case Quoting.None when c == '"':
                    state = Quoting.Double;
                    break;
                case Quoting.Double when c == '"':
                    state = Quoting.None;
                    break;
            }
        }

        return state;
    }

    private static bool At(string text, int index, string what) =>
        string.CompareOrdinal(text, index, what, 0, what.Length) == 0;
}
