using System.Globalization;

namespace Weft.Definitions;

/// <summary>Reads the <c>retryOn</c> entries: <c>exit:N</c>, <c>http:NNN</c>, <c>http:5xx</c>,
/// <c>timeout</c>, <c>error</c>.</summary>
internal static class RetryConditions
{
    public const string Expected = "exit:N, http:NNN, http:5xx, timeout or error";

    public static bool TryParse(string text, out RetryCondition condition)
    {
        condition = default;
        var s = text.Trim();
        switch (s)
        {
            case "timeout":
                condition = new RetryCondition(RetryConditionKind.Timeout);
                return true;
            case "error":
                condition = new RetryCondition(RetryConditionKind.Error);
                return true;
        }

        if (s.StartsWith("exit:", StringComparison.Ordinal))
        {
            var ok = int.TryParse(s.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code <= 255;
            condition = new RetryCondition(RetryConditionKind.ExitCode, code);
            return ok;
        }

        if (!s.StartsWith("http:", StringComparison.Ordinal))
        {
            return false;
        }

        var status = s[5..];
        if (status.Length == 3 && status.EndsWith("xx", StringComparison.OrdinalIgnoreCase) && status[0] is >= '1' and <= '5')
        {
            condition = new RetryCondition(RetryConditionKind.HttpStatusClass, status[0] - '0');
            return true;
        }

        var isStatus = status.Length == 3 && int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 100 and <= 599;
        condition = new RetryCondition(RetryConditionKind.HttpStatus, isStatus ? int.Parse(status, CultureInfo.InvariantCulture) : 0);
        return isStatus;
    }
}
