using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Weft.Execution;
using Weft.Handlers;
using Weft.Storage;

namespace Weft.Hosting;

/// <summary>What <c>services.AddWeft(weft =&gt; weft…)</c> configures: the store the host opens at
/// start (<see cref="UseStore"/>, or <c>UseSqlite</c> from Weft.Sqlite), DI-activated functions and
/// handlers, and the engine's options. It only collects: the host opens the store and creates the
/// engine when it starts (<see cref="OpenStoreAsync"/>, <see cref="CreateEngine"/>), so nothing is
/// opened by hand and a function is registered before the first run can call it.</summary>
public sealed class WeftBuilder
{
    private readonly List<Action<IServiceProvider, WeftOptions>> _configure = [];
    private readonly List<Action<IServiceProvider, FunctionRegistry>> _functions = [];
    private readonly HashSet<string> _functionNames = new(StringComparer.Ordinal);
    private Func<IServiceProvider, CancellationToken, ValueTask<IWeftStore>>? _openStore;

    /// <summary>A builder over <paramref name="services"/>, where functions and handlers are registered.</summary>
    public WeftBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>The host's services: functions and handlers added here are registered in them.</summary>
    public IServiceCollection Services { get; }

    /// <summary>True when <see cref="UseStore"/> chose a store for the host to open.</summary>
    public bool HasStore => _openStore is not null;

    /// <summary>Records runs in the store that <paramref name="open"/> opens; the host calls it once, at
    /// start, and disposes the store when it stops. Called again, the last store wins.</summary>
    public WeftBuilder UseStore(Func<IServiceProvider, CancellationToken, ValueTask<IWeftStore>> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        _openStore = open;
        return this;
    }

    /// <summary>Sets engine options in code, after the <c>Weft</c> configuration section is applied
    /// (so code wins). Checked with the rest when the host starts, every error together.</summary>
    public WeftBuilder Configure(Action<WeftOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configure.Add((_, options) => configure(options));
        return this;
    }

    /// <summary>Adds a task kind (or replaces a built-in one) with a handler created once from the
    /// container (a singleton, unless <typeparamref name="THandler"/> is registered otherwise).</summary>
    public WeftBuilder AddHandler<THandler>()
        where THandler : class, ITaskHandler
    {
        Services.TryAddSingleton<THandler>();
        _configure.Add((services, options) => options.Handlers.Add(services.GetRequiredService<THandler>()));
        return this;
    }

    /// <summary>Adds a typed function: <typeparamref name="TFunction"/> implements
    /// <see cref="IWeftFunction{TIn, TOut}"/> once, and is created from the container in a scope of its
    /// own for every call (so it may take scoped services such as a DbContext), disposed after it.
    /// <paramref name="name"/> (what <c>function:</c> says) defaults to a <see cref="WeftFunctionAttribute"/>
    /// on the class, else the class name. Throws <see cref="ArgumentException"/> for a class that does not
    /// implement the interface exactly once or a name already added.</summary>
    public WeftBuilder AddFunction<TFunction>(string? name = null)
        where TFunction : class
    {
        var type = typeof(TFunction);
        var contracts = type.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IWeftFunction<,>))
            .ToList();
        if (contracts.Count != 1)
        {
            throw new ArgumentException(
                $"{type.Name} must implement IWeftFunction<TIn, TOut> exactly once to be added as a function (it implements it {contracts.Count} times)",
                nameof(TFunction));
        }

        name ??= type.GetCustomAttribute<WeftFunctionAttribute>()?.Name ?? type.Name;
        ClaimName(name);
        Services.TryAddTransient<TFunction>();
        var args = contracts[0].GetGenericArguments();
        var add = typeof(WeftBuilder).GetMethod(nameof(AddScopedFunction), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(type, args[0], args[1]);
        add.Invoke(this, [name]);
        return this;
    }

    /// <summary>Adds a typed function given as a delegate (see <see cref="FunctionRegistry.Register{TIn, TOut}"/>).</summary>
    public WeftBuilder Register<TIn, TOut>(string name, Func<TIn, CancellationToken, ValueTask<TOut>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        ClaimName(name);
        _functions.Add((_, registry) => registry.Register(name, function));
        return this;
    }

    /// <summary>Opens the store chosen with <see cref="UseStore"/>; null when none was chosen.</summary>
    public async ValueTask<IWeftStore?> OpenStoreAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        return _openStore is null ? null : await _openStore(services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates and starts the engine on <paramref name="store"/> (null: in memory): first
    /// <paramref name="hostSettings"/> (the host's own settings and configuration, returning the problems
    /// it found), then <see cref="Configure"/>, handlers and functions. Throws
    /// <see cref="WeftConfigurationException"/> with every problem of the host's settings and of the
    /// engine's options together.</summary>
    public WeftEngine CreateEngine(IServiceProvider services, IWeftStore? store, Func<WeftOptions, IEnumerable<string>>? hostSettings = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var engine = WeftEngine.Create(options =>
        {
            options.Store = store;
            var problems = hostSettings is null ? [] : hostSettings(options).ToList();
            foreach (var configure in _configure)
            {
                configure(services, options);
            }

            if (problems.Count > 0)
            {
                throw new WeftConfigurationException([.. problems, .. options.Validate()]);
            }
        });
        foreach (var register in _functions)
        {
            register(services, engine.Functions);
        }

        return engine;
    }

    /// <summary>Gives a cluster worker of the host (one that runs tasks beside a host on a cluster
    /// store) the functions, handlers and hooks added here, activated from <paramref name="services"/>
    /// as the engine's are.</summary>
    public void ConfigureWorker(IServiceProvider services, Cluster.ClusterWorkerOptions worker)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(worker);

        // Handlers and hooks are added through the engine's options; gather them on options of their own.
        var options = new WeftOptions();
        foreach (var configure in _configure)
        {
            configure(services, options);
        }

        foreach (var handler in options.Handlers)
        {
            worker.Handlers.Add(handler);
        }

        foreach (var hook in options.Hooks)
        {
            worker.Hooks.Add(hook);
        }

        foreach (var register in _functions)
        {
            register(services, worker.Functions);
        }
    }

    private void AddScopedFunction<TFunction, TIn, TOut>(string name)
        where TFunction : class, IWeftFunction<TIn, TOut>
    {
        _functions.Add((services, registry) =>
        {
            var scopes = services.GetRequiredService<IServiceScopeFactory>();
            registry.Register<TIn, TOut>(name, async (input, token) =>
            {
                var scope = scopes.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    var function = scope.ServiceProvider.GetRequiredService<TFunction>();
                    return await function.RunAsync(input, token).ConfigureAwait(false);
                }
            });
        });
    }

    private void ClaimName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a function name must not be empty", nameof(name));
        }

        if (!_functionNames.Add(name))
        {
            throw new ArgumentException($"a function named '{name}' is already added", nameof(name));
        }
    }
}
