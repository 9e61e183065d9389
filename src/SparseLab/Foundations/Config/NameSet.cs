// The names a registry accepts (models, criteria, schedules, ...): what --help
// lists and what an error for an unknown name offers. Some registries also
// accept a pattern (nm:N:M, warmup:K), described in words.
namespace SparseLab.Foundations;

public sealed class NameSet(IReadOnlyList<string> names, Func<string, bool>? pattern = null, string? patternText = null)
    : IReadOnlyList<string>
{
    public NameSet(params string[] names) : this((IReadOnlyList<string>)names) { }

    public bool Contains(string? name) => name is not null && (names.Contains(name) || pattern?.Invoke(name) == true);

    /// <summary>"a, b, c" plus the pattern, as help and errors list them.</summary>
    public string Describe() => patternText is null ? string.Join(", ", names) : $"{string.Join(", ", names)}, {patternText}";

    public string this[int index] => names[index];
    public int Count => names.Count;
    public IEnumerator<string> GetEnumerator() => names.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The NameSet of a registry type: its public static <c>Names</c> property.</summary>
    public static NameSet Of(Type registry) =>
        registry.GetProperty("Names", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) as NameSet
        ?? throw new InvalidOperationException($"{registry.Name} has no public static NameSet Names");
}
