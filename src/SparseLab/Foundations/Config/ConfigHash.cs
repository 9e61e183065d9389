// Canonical string and hash of a config record (OpenLTH's scheme): every
// hashed field under its hash name, sorted, culture-invariant, fields at
// their default left out, so adding an option with a default does not move
// existing run folders. The nested records are flattened: a field's hash
// name is the flat name it had before the config was split by concept, so
// runs from before the split keep their folders. Fields that refer to files
// (--mask-from, --init-from, score files, reference runs) are hashed by what
// they point at, never by where it lies (ArtifactIdentity): a copied or moved
// study keeps its run folders.
using System.Security.Cryptography;
using System.Text;

namespace SparseLab.Foundations;

public static class ConfigHash
{
    public static string Canonical<T>(T config) where T : notnull, new() => Canonical(config, new T());

    /// <param name="name">How a field is named in the string; default its hash name.</param>
    public static string Canonical(object config, object defaults, Func<ConfigField, string>? name = null)
    {
        name ??= f => f.HashName;
        var parts = new List<(string Name, string Value)>();
        foreach (var f in ConfigSchema.Of(config.GetType()).Fields.Where(f => f.Hashed))
        {
            string value = Value(f, f.Get(config));
            if (value == Value(f, f.Get(defaults))) continue;
            parts.Add((name(f), value));
        }
        return string.Join(";", parts.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>The first 12 hex digits of SHA-256 of the canonical string.</summary>
    public static string Hash<T>(T config) where T : notnull, new() => HashOf(Canonical(config));

    public static string HashOf(string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..12];

    /// <summary>
    /// The canonical string as it was before references were hashed by content: file references spelled as
    /// <paramref name="reference"/> makes them (the literal path, or its last parts); for recognising run folders written then.
    /// </summary>
    public static string LegacyCanonical(object config, object defaults, Func<string, string> reference)
    {
        var parts = new List<(string Name, string Value)>();
        foreach (var f in ConfigSchema.Of(config.GetType()).Fields.Where(f => f.Hashed))
        {
            object? v = f.Get(config), d = f.Get(defaults);
            string value = f.Option.Reference != ReferenceKind.None && v is string s ? ArtifactIdentity.Spell(s, f.Option.Reference, reference) : f.Canonical(v);
            if (value == f.Canonical(d)) continue;
            parts.Add((f.HashName, value));
        }
        return string.Join(";", parts.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));
    }

    private static string Value(ConfigField f, object? value) =>
        f.Option.Reference != ReferenceKind.None && value is string s ? ArtifactIdentity.Of(s, f.Option.Reference) : f.Canonical(value);
}
