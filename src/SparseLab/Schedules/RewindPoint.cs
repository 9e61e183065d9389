// Where IMP rewinds the surviving weights to (Frankle & Carbin 2019: the
// original initialization; Frankle et al. 2020: the weights after K steps or
// epochs of dense training): "0", "Kit" (K iterations) or "Kep" (K epochs).
using System.Globalization;
using SparseLab.Foundations;

namespace SparseLab.Schedules;

public sealed record RewindPoint(long Count, bool Epochs)
{
    public static RewindPoint Init { get; } = new(0, false);

    public static RewindPoint Parse(string text)
    {
        string t = text.Trim();
        bool epochs = t.EndsWith("ep", StringComparison.Ordinal), iterations = t.EndsWith("it", StringComparison.Ordinal);
        string number = epochs || iterations ? t[..^2] : t;
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long k) || (k > 0 && !epochs && !iterations))
            throw new InvalidOptionException($"--rewind '{text}': use 0 (the original initialization), Kit (after K iterations, e.g. 500it) or Kep (after K epochs, e.g. 2ep)");
        return k == 0 ? Init : new RewindPoint(k, epochs);
    }

    /// <summary>The optimizer step to rewind to; refuses one past the end of training.</summary>
    public long ToStep(int stepsPerEpoch, long totalSteps)
    {
        long step = Epochs ? Count * stepsPerEpoch : Count;
        if (step > totalSteps)
            throw new InvalidOptionException($"--rewind {this}: step {step} is past the end of training ({totalSteps} steps); rewind to an earlier point");
        return step;
    }

    /// <summary>The checkpoint name in level 0's run folder: "init" for 0.</summary>
    public string CheckpointName => Count == 0 ? "init" : $"rewind-{this}";

    public override string ToString() => Count == 0 ? "0" : $"{Count}{(Epochs ? "ep" : "it")}";
}
