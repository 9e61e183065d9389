// The options of `study claims`: which claims, at which size, where.
using SparseLab.Foundations;

namespace SparseLab.Studies.Claims;

public sealed record ClaimsConfig : IConfigRecord
{
    [Option("The claims to test, comma-separated (default: all); claims that read the same study share its runs.", OneOf = typeof(ClaimRegistry), Value = "LIST")]
    public string[] Claims { get; init; } = [.. ClaimRegistry.Names];

    [Option("Tiny studies on synthetic data that run in about a minute (tests, a first look at the ledger); their verdicts mean nothing.")]
    public bool Quick { get; init; }

    [Option("CPU threads of every run (0: all cores).")]
    public int Threads { get; init; }

    [Option("Folder with the Fashion-MNIST files (default: $SPARSELAB_DATA/fashion-mnist, then /usr/share/datasets/fashion-mnist).", Value = "DIR")]
    public string? DataDir { get; init; }

    public ClaimSettings Settings => new(Quick, Threads, DataDir);

    public void Validate()
    {
        Check.That(Claims.Length > 0, nameof(Claims), $"is empty; give claims such as {string.Join(",", ClaimRegistry.Names.Take(2))}");
        ConfigSchema.Of<ClaimsConfig>().CheckNames(this);
        Check.That(Claims.Distinct().Count() == Claims.Length, nameof(Claims), $"{string.Join(",", Claims)} lists a claim twice");
        Check.That(Threads >= 0, nameof(Threads), $"must be 0 (all cores) or more, got {Threads}");
    }
}
