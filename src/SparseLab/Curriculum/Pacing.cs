// Pacing functions (METHODS §7): how many of the easiest examples batches are drawn
// from at step t. Wu, Dyer & Neyshabur, "When do curricula work?" (ICLR 2021), Table 1,
// with N examples, T steps, a = fraction of training at which the full set is reached,
// b = starting fraction, c = 10; and Hacohen & Weinshall (ICML 2019) §3, fixed exponential
// pacing g(i) = N · min(sp · inc^⌊i/step⌋, 1). Every pool is clipped to [batch size, N].
using SparseLab.Foundations;

namespace SparseLab.Curriculum;

/// <summary>
/// A pacing function with its parameters resolved for one run: A as a fraction of training, Step in steps.
/// Name "none" means plain training.
/// </summary>
public sealed record PacingOptions(string Name, double A = 0.5, double B = 0.2, double Sp = 0.04, double Inc = 1.9, long Step = 100)
{
    public static NameSet Names { get; } = new("none", "linear", "quad", "root", "step", "exp", "log", "fixed-exp");

    /// <summary>The pacing a curriculum config asks for, in a run of <paramref name="totalSteps"/> steps.</summary>
    public static PacingOptions For(CurriculumConfig c, long stepsPerEpoch, long totalSteps) =>
        new(c.PacingName, c.PacingA.ToFraction(stepsPerEpoch, totalSteps), c.PacingB, c.PacingSp, c.PacingInc, c.PacingStep.ToSteps(stepsPerEpoch, totalSteps));
}

public static class Pacing
{
    private const double C = 10;   // the exp and log shapes' constant (Wu et al. 2021)

    /// <summary>g(t) before clipping, as a real number of examples (METHODS §7).</summary>
    public static double Raw(PacingOptions p, long t, long totalSteps, long n)
    {
        double u = t / (p.A * totalSteps);   // t / (aT)
        return p.Name switch
        {
            "linear" => n * p.B + n * (1 - p.B) * u,
            "quad" => n * p.B + n * (1 - p.B) * u * u,
            "root" => n * p.B + n * (1 - p.B) * Math.Sqrt(u),
            "step" => n * p.B + n * Math.Floor(u),
            "exp" => n * p.B + n * (1 - p.B) * (Math.Exp(C * u) - 1) / (Math.Exp(C) - 1),
            "log" => n * p.B + n * (1 - p.B) * (1 + 1 / C * Math.Log(u + Math.Exp(-C))),
            "fixed-exp" => n * Math.Min(p.Sp * Math.Pow(p.Inc, Math.Floor((double)t / p.Step)), 1),
            "none" => n,
            _ => throw new ArgumentException($"unknown pacing '{p.Name}'", nameof(p)),
        };
    }

    /// <summary>The pool size at step t (0-based): ⌊g(t)⌋ clipped to [batch size, N].</summary>
    public static long PoolSize(PacingOptions p, long t, long totalSteps, long n, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        double g = Raw(p, t, totalSteps, n);
        long floor = Math.Min(batchSize, n);
        if (double.IsNaN(g)) return floor;
        return Math.Clamp((long)Math.Floor(Math.Min(g, n)), floor, n);
    }
}
