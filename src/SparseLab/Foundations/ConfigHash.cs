// Canonical string and hash of a config record (OpenLTH's scheme): fields in
// name order, culture-invariant, fields at their default left out, so adding
// an option with a default does not move existing run folders.
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace SparseLab.Foundations;

public static class ConfigHash
{
    public static string Canonical<T>(T config) where T : new()
    {
        var defaults = new T();
        var parts = new List<string>();
        foreach (var p in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (p.GetCustomAttribute<NotHashedAttribute>() is not null || !p.CanWrite) continue;
            string value = Format(p.GetValue(config));
            if (value == Format(p.GetValue(defaults))) continue;
            parts.Add($"{p.Name}={value}");
        }
        return string.Join(";", parts);
    }

    /// <summary>The first 12 hex digits of SHA-256 of the canonical string.</summary>
    public static string Hash<T>(T config) where T : new() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(config))))[..12];

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
