using System.Text.Json.Nodes;
using Weft.Handlers;

namespace Weft.Tests.Handlers;

public sealed class FunctionRegistryTests
{
    private readonly FunctionRegistry _registry = new();

    [Fact]
    public async Task Register_AllOverloads_AreCallable()
    {
        _registry.Register("general", (args, _) => ValueTask.FromResult<object?>(args?["x"]?.GetValue<int>()));
        _registry.Register("task", async (args, ct) =>
        {
            await Task.Yield();
            return (object?)"task";
        });
        _registry.Register("sync", args => 42);

        Assert.Equal(["general", "sync", "task"], _registry.Names);
        Assert.True(_registry.Contains("sync"));
        Assert.False(_registry.Contains("SYNC"));
        Assert.Equal(5, await Call("general", new JsonObject { ["x"] = 5 }));
        Assert.Equal("task", await Call("task", null));
        Assert.Equal(42, await Call("sync", null));
    }

    [Fact]
    public void Register_DuplicateName_Throws()
    {
        _registry.Register("f", _ => null);

        var ex = Assert.Throws<ArgumentException>(() => _registry.Register("f", _ => 1));

        Assert.Contains("'f' is already registered", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Register_EmptyName_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => _registry.Register(name, _ => null));

    [Fact]
    public void RegisterAssembly_RegistersPublicStaticMarkedMethods()
    {
        var count = _registry.RegisterAssembly(typeof(TestFunctions).Assembly);

        var ours = _registry.Names.Where(n => n.StartsWith(TestFunctions.Prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(_registry.Names.Count, count);
        Assert.Equal(11, ours.Count);
        Assert.Contains(TestFunctions.Prefix + "add", ours);
        Assert.DoesNotContain(TestFunctions.Prefix + "private", ours);
        Assert.Equal(0, TestFunctions.UseHidden());
    }

    [Fact]
    public void RegisterAssembly_NameAlreadyRegistered_ThrowsAndRegistersNothing()
    {
        _registry.Register(TestFunctions.Prefix + "greet", _ => null);

        Assert.Throws<ArgumentException>(() => _registry.RegisterAssembly(typeof(TestFunctions).Assembly));

        Assert.Single(_registry.Names);
    }

    private async Task<object?> Call(string name, JsonObject? args)
    {
        Assert.True(_registry.TryGet(name, out var function));
        return await function(args, CancellationToken.None);
    }
}
