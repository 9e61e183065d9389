// Deterministic DDIM sampling (Song, Meng & Ermon 2021, "Denoising Diffusion Implicit Models", Eq. 12 with
// η = 0, so σ_t = 0): from x_T, for the S steps τ_S > … > τ_1 (a subsequence of 1..T, their §4.2),
//   x̂_0 = (x_τ − √(1 − ᾱ_τ) ε_θ(x_τ, τ)) / √ᾱ_τ
//   x_τ' = √ᾱ_τ' x̂_0 + √(1 − ᾱ_τ') ε_θ(x_τ, τ)              τ' the next step down, ᾱ_τ' = ᾱ_0 = 1 after τ_1,
// so the last update returns x̂_0 itself. The starting noise is given, not drawn, so samples of different models
// from the same x_T can be compared image by image. The model takes DiffusionInput's packed (B, C + 1, H, W).
//
// With clipEachStep, x̂_0 is clipped to [−1, 1] at every step before x_τ' is formed from it (DDPM's clip_denoised,
// Ho et al.'s code; diffusers' DDIM clip_sample): a weak model's x̂_0 overshoots the pixel range at large τ.
//
// Spacing: τ_i = round(i·T/S) for i = 1..S (halves up): evenly spaced, τ_S = T always, S = T gives every step and
// S = 1 the single jump from x_T (T = 1000, S = 10: 100, 200, …, 1000).
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

public static class DdimSampler
{
    /// <summary>The field a refused step count is reported under: --sample-steps on the command line, sample_steps in a config.</summary>
    public const string SampleStepsField = "SampleSteps";

    /// <summary>The sampling steps τ_1 &lt; … &lt; τ_S = T, τ_i = round(i·T/S). Refuses S outside 1..T (naming --sample-steps).</summary>
    public static int[] Steps(int sampleSteps, int diffusionSteps)
    {
        Check.That(sampleSteps >= 1 && sampleSteps <= diffusionSteps, SampleStepsField,
            $"must be in 1..{diffusionSteps} (at most T, the diffusion steps), got {sampleSteps}");
        return [.. Enumerable.Range(1, sampleSteps).Select(i => (int)((2L * i * diffusionSteps + sampleSteps) / (2L * sampleSteps)))];
    }

    /// <summary>
    /// x_0 (N, C, H, W) in [−1, 1] from the noise <paramref name="xT"/> (N, C, H, W) in <paramref name="sampleSteps"/> DDIM
    /// steps, <paramref name="batchSize"/> images per model call. The model runs in eval mode under no_grad and is put back
    /// in the mode it was in.
    /// </summary>
    public static Tensor Sample(nn.Module<Tensor, Tensor> model, Tensor xT, NoiseSchedule schedule, int sampleSteps, int batchSize = 64,
        bool clipEachStep = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schedule);
        var alphaBar = schedule.AlphaBars();
        var steps = Steps(sampleSteps, schedule.Steps);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"a batch holds at least one image, got {batchSize}");
        if (xT.dim() != 4 || xT.shape[0] == 0)
            throw new ArgumentException($"x_T must be (N, C, H, W) with N ≥ 1, got ({string.Join(", ", xT.shape)})", nameof(xT));

        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            var batches = new List<Tensor>();
            for (long start = 0; start < xT.shape[0]; start += batchSize)
                batches.Add(Denoise(model, xT.narrow(0, start, Math.Min(batchSize, xT.shape[0] - start)), alphaBar, steps, clipEachStep));
            var x0 = torch.cat(batches, 0);                                                         // (N, C, H, W)
            foreach (var b in batches) b.Dispose();
            return x0;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>One batch x_T (B, C, H, W) through every step → x_0 (B, C, H, W), clipped to [−1, 1].</summary>
    private static Tensor Denoise(nn.Module<Tensor, Tensor> model, Tensor xT, double[] alphaBar, int[] steps, bool clipEachStep)
    {
        var x = xT.alias();
        for (int i = steps.Length - 1; i >= 0; i--)
        {
            double now = alphaBar[steps[i] - 1], next = i > 0 ? alphaBar[steps[i - 1] - 1] : 1.0;
            using var scope = torch.NewDisposeScope();
            var t = torch.full([x.shape[0]], steps[i], dtype: ScalarType.Int64, device: x.device);   // (B)
            var eps = model.call(DiffusionInput.Pack(x, t));                                          // (B, C, H, W)
            var predicted = (x - eps * Math.Sqrt(1 - now)) / Math.Sqrt(now);                          // x̂_0 (B, C, H, W)
            if (clipEachStep) predicted = predicted.clamp(-1, 1);
            var step = predicted * Math.Sqrt(next) + eps * Math.Sqrt(1 - next);                       // x_τ' (B, C, H, W)
            x.Dispose();
            x = step.MoveToOuterDisposeScope();
        }
        var clipped = x.clamp(-1, 1);
        x.Dispose();
        return clipped;
    }
}
