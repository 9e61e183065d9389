// What a run measures as it trains: Fisher traces. They never change the weights; the number of
// sampled labels is hashed all the same, since a Fisher curriculum scores with it.
using SparseLab.Foundations;

namespace SparseLab.Information;

public sealed record ProbeConfig : IConfigRecord
{
    [Option("Log true and empirical Fisher traces (total and per layer) to metrics.jsonl every K steps, or at every 'epoch' end.", Value = "K")]
    [NotHashed]
    public string? FisherEvery { get; init; }

    // A study tracks the traces unless --no-fisher (Fisher, the study's); elsewhere only --fisher-every does.
    private const string Traced = "FisherEvery or Fisher";

    [Option("The fixed, seeded probe set's size for the Fisher traces.", Requires = [Traced])]
    [NotHashed]
    public int FisherSamples { get; init; } = 1024;

    [Option("Labels sampled from the model per example for the true Fisher (traces and curriculum scores; hashed, since it changes the scores).", Value = "M")]
    public int FisherDraws { get; init; } = 1;

    [Option("fast (one backward per batch) or naive (one backward per example).", OneOf = typeof(FisherOptions), Requires = [Traced])]
    [NotHashed]
    public string FisherMethod { get; init; } = "fast";

    public void Validate()
    {
        Check.That(FisherEvery is null || FisherEvery == "epoch" || (long.TryParse(FisherEvery, out var k) && k > 0),
            nameof(FisherEvery), $"'{FisherEvery}': use a positive number of steps or 'epoch'");
        Check.Positive(FisherSamples, nameof(FisherSamples));
        Check.Positive(FisherDraws, nameof(FisherDraws));
    }
}
