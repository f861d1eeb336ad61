using Microsoft.Extensions.Configuration;
using Weft.Definitions;

namespace Weft.Configuration;

/// <summary>One source of configuration values (the file, the environment, the command line), also its
/// own <see cref="IConfigurationSource"/>. Each says where a key came from, so an error or
/// <c>weft config show</c> can point there.</summary>
internal abstract class ConfigLayer : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Where <paramref name="key"/>'s value was set, for a person: <c>weft.yaml:3:5</c>,
    /// <c>env WEFT__POOL__MAXWORKERS</c>, <c>flag --workers</c>.</summary>
    public abstract string Describe(string key);

    /// <summary>The file position of the value of <paramref name="key"/> (or of its key when
    /// <paramref name="ofKey"/>), when the layer is a file.</summary>
    public virtual SourceLocation? Place(string key, bool ofKey = false) => null;

    public bool Has(string key) => Data.ContainsKey(key);

    public IEnumerable<string> Keys => Data.Keys;
}
