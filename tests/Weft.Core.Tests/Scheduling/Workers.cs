namespace Weft.Tests.Scheduling;

/// <summary>Every scheduling test runs on 1, 2 and 8 slots (a deadlock fails by the hard limit).</summary>
public static class Workers
{
    public static TheoryData<int> Counts => new() { 1, 2, 8 };
}
