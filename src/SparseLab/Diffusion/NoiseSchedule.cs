// The variance schedule β_1..β_T of a denoising diffusion model's forward process
// q(x_t | x_{t−1}) = N(√(1−β_t) x_{t−1}, β_t I) (Ho et al. 2020, Eq. 2), by name:
//   linear  Ho et al. 2020 §4: β_t from β_1 = 1e-4 to β_T = 0.02, linear in t (--beta-start, --beta-end);
//   cosine  Nichol & Dhariwal 2021 Eq. 17: ᾱ_t = f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2), s = 0.008,
//           β_t = 1 − ᾱ_t/ᾱ_{t−1} clipped to 0.999 (their §3.2, so the last steps are not singular).
// With α_t = 1 − β_t and ᾱ_t = Π_{s≤t} α_s (Ho Eq. 4; for cosine the product of the clipped β, as in Nichol &
// Dhariwal's code, which equals f(t)/f(0) wherever no clip applied).
//
// Index convention: every array has T entries and index i holds step t = i + 1 (Beta()[0] is β_1, AlphaBars()[T−1]
// is ᾱ_T). Timesteps elsewhere in Diffusion/ are the paper's t = 1..T; ᾱ_0 = 1 (no noise) is implicit.
using SparseLab.Foundations;

namespace SparseLab.Diffusion;

public sealed record NoiseSchedule : IConfigRecord
{
    public const string Linear = "linear";
    public const string Cosine = "cosine";

    /// <summary>Nichol & Dhariwal's offset s, which keeps β_1 from being vanishingly small.</summary>
    public const double CosineOffset = 0.008;

    /// <summary>Nichol & Dhariwal's clip on β_t near t = T.</summary>
    public const double MaxCosineBeta = 0.999;

    /// <summary>The schedule names <see cref="Name"/> accepts.</summary>
    public static NameSet Names { get; } = new(Linear, Cosine);

    [Option("The noise schedule β_1..β_T: linear (Ho et al. 2020, from --beta-start to --beta-end) or cosine (Nichol & Dhariwal 2021, Eq. 17).",
        Flag = "--noise-schedule", Value = "NAME", OneOf = typeof(NoiseSchedule), HashName = "NoiseSchedule")]
    public string Name { get; init; } = Linear;

    [Option("T, the number of diffusion steps of the forward process (Ho et al. 2020: 1000).", Flag = "--diffusion-steps", Value = "T", HashName = "DiffusionSteps")]
    public int Steps { get; init; } = 1000;

    [Option("The linear schedule's β_1, in (0, 1).", Value = "X", Requires = ["Name=linear"])]
    public double BetaStart { get; init; } = 1e-4;

    [Option("The linear schedule's β_T, in (0, 1).", Value = "X", Requires = ["Name=linear"])]
    public double BetaEnd { get; init; } = 0.02;

    public void Validate()
    {
        Check.That(Names.Contains(Name), nameof(Name), $"'{Name}' is not known; use one of: {Names.Describe()}");
        Check.That(Steps >= 1, nameof(Steps), $"must be at least 1, got {Steps}");
        var d = new NoiseSchedule();
        if (Name == Linear)
        {
            Check.That(BetaStart is > 0 and < 1, nameof(BetaStart), $"must be in (0, 1), got {Check.Fmt(BetaStart)}");
            Check.That(BetaEnd is > 0 and < 1, nameof(BetaEnd), $"must be in (0, 1), got {Check.Fmt(BetaEnd)}");
        }
        else
        {
            Check.That(BetaStart == d.BetaStart, nameof(BetaStart), $"only applies to the linear schedule, not {Name}");
            Check.That(BetaEnd == d.BetaEnd, nameof(BetaEnd), $"only applies to the linear schedule, not {Name}");
        }
        // The endpoints above keep a linear schedule inside (0, 1); the cosine one leaves it when T is so large that
        // ᾱ_t/ᾱ_{t−1} rounds to 1 (β_t = 0: a step that adds no noise).
        var beta = Compute();
        int bad = Array.FindIndex(beta, b => !(b > 0 && b < 1));
        if (bad >= 0)
            throw new ConfigError($"{ConfigError.Field(nameof(Steps))} {Steps} gives β_{bad + 1} = {Check.Fmt(beta[bad])} with the {Name} schedule, " +
                $"outside (0, 1); use fewer steps");
    }

    /// <summary>β_t at index t − 1, t = 1..T. Throws <see cref="ConfigError"/> when the schedule is not valid.</summary>
    public double[] Betas()
    {
        Validate();
        return Compute();
    }

    /// <summary>α_t = 1 − β_t at index t − 1.</summary>
    public double[] Alphas() => [.. Betas().Select(b => 1 - b)];

    /// <summary>ᾱ_t = Π_{s=1..t} α_s at index t − 1 (Ho et al. 2020, Eq. 4).</summary>
    public double[] AlphaBars()
    {
        var alpha = Alphas();
        var bar = new double[alpha.Length];
        double product = 1;
        for (int i = 0; i < alpha.Length; i++) bar[i] = product *= alpha[i];
        return bar;
    }

    private double[] Compute() => Name == Cosine ? CosineBetas(Steps) : LinearBetas(Steps, BetaStart, BetaEnd);

    /// <summary>β_t = start + (end − start)(t − 1)/(T − 1); T = 1 gives β_1 = start.</summary>
    private static double[] LinearBetas(int steps, double start, double end) =>
        [.. Enumerable.Range(0, steps).Select(i => steps == 1 ? start : start + (end - start) * i / (steps - 1))];

    /// <summary>β_t = min(1 − f(t)/f(t − 1), 0.999), f as in Nichol & Dhariwal 2021, Eq. 17 (f(0) cancels in the ratio).</summary>
    private static double[] CosineBetas(int steps)
    {
        double F(int t)
        {
            double c = Math.Cos((((double)t / steps) + CosineOffset) / (1 + CosineOffset) * Math.PI / 2);
            return c * c;
        }
        return [.. Enumerable.Range(1, steps).Select(t => Math.Min(1 - F(t) / F(t - 1), MaxCosineBeta))];
    }
}
