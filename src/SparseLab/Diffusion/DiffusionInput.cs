// How a denoiser stays a Module<Tensor, Tensor>: everything in SparseLab (pruning, the sparse kernels, Fisher,
// export) assumes a model takes one input tensor, but ε_θ(x_t, t) takes two. The timestep rides along as one
// extra channel: x_t (B, C, H, W) and t (B) pack into (B, C + 1, H, W) whose last channel holds t as a float, the
// same value in every pixel of the plane. t is the paper's step, 1..T (float32 holds every integer up to 2^24
// exactly, so t survives the round trip). Also the forward process q(x_t | x_0) (Ho et al. 2020, Eq. 4) and the
// simple training loss (Ho et al. 2020, Eq. 14).
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

public static class DiffusionInput
{
    /// <summary>x_t (B, C, H, W) and t (B, integer steps 1..T) → (B, C + 1, H, W), t in every pixel of the last channel.</summary>
    public static Tensor Pack(Tensor xt, Tensor t)
    {
        if (xt.dim() != 4) throw new ArgumentException($"x_t must be (B, C, H, W), got ({string.Join(", ", xt.shape)})", nameof(xt));
        long b = xt.shape[0], h = xt.shape[2], w = xt.shape[3];
        if (t.dim() != 1 || t.shape[0] != b) throw new ArgumentException($"t must be ({b}), one step per image, got ({string.Join(", ", t.shape)})", nameof(t));
        using var scope = torch.NewDisposeScope();
        var plane = t.to(xt.dtype).to(xt.device).view(b, 1, 1, 1).expand(b, 1, h, w);   // (B, 1, H, W)
        return torch.cat([xt, plane], 1).MoveToOuterDisposeScope();                      // (B, C + 1, H, W)
    }

    /// <summary>(B, C + 1, H, W) → x_t (B, C, H, W) and t (B, int64), read from the last channel's top-left pixel.</summary>
    public static (Tensor Xt, Tensor T) Unpack(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] < 2)
            throw new ArgumentException($"a packed input is (B, C + 1, H, W) with C ≥ 1, got ({string.Join(", ", input.shape)})", nameof(input));
        long c = input.shape[1] - 1;
        var xt = input.narrow(1, 0, c);                                                  // (B, C, H, W)
        using var corner = input.select(1, c).select(1, 0).select(1, 0);                 // (B)
        var t = corner.round().to(ScalarType.Int64);                                     // (B)
        return (xt, t);
    }

    /// <summary>
    /// x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (Ho et al. 2020, Eq. 4): <paramref name="x0"/> and <paramref name="eps"/> (B, C, H, W),
    /// <paramref name="t"/> (B, int64, steps 1..T), <paramref name="alphaBar"/> ᾱ_t at index t − 1 (NoiseSchedule.AlphaBars).
    /// </summary>
    public static Tensor QSample(Tensor x0, Tensor t, Tensor eps, IReadOnlyList<double> alphaBar)
    {
        using var scope = torch.NewDisposeScope();
        var bar = Gather(alphaBar, t, x0.dtype, x0.device).view(-1, 1, 1, 1);          // (B, 1, 1, 1)
        return (bar.sqrt() * x0 + (1 - bar).sqrt() * eps).MoveToOuterDisposeScope();    // (B, C, H, W)
    }

    /// <summary>L_simple = E‖ε − ε_θ(x_t, t)‖² (Ho et al. 2020, Eq. 14), the mean over every element.</summary>
    public static Tensor SimpleLoss(Tensor predicted, Tensor eps) => nn.functional.mse_loss(predicted, eps);

    /// <summary>
    /// One training example of Ho et al. 2020, Algorithm 1 for given t and ε: x_t from q, the model's ε̂ on the packed
    /// input, and L_simple. <paramref name="model"/> maps (B, C + 1, H, W) to (B, C, H, W).
    /// </summary>
    public static Tensor SimpleLoss(nn.Module<Tensor, Tensor> model, Tensor x0, Tensor t, Tensor eps, IReadOnlyList<double> alphaBar)
    {
        using var scope = torch.NewDisposeScope();
        var xt = QSample(x0, t, eps, alphaBar);                                          // (B, C, H, W)
        var predicted = model.call(Pack(xt, t));                                         // (B, C, H, W)
        return SimpleLoss(predicted, eps).MoveToOuterDisposeScope();
    }

    /// <summary>t ~ Uniform{1, ..., T} for <paramref name="batch"/> images (Ho et al. 2020, Algorithm 1), int64 (B).</summary>
    public static Tensor DrawSteps(long batch, int steps, Device? device = null, Generator? generator = null) =>
        torch.randint(1, steps + 1, [batch], dtype: ScalarType.Int64, device: device, generator: generator);

    /// <summary>ᾱ_t for every t in <paramref name="t"/> (B, steps 1..T) as a (B) tensor.</summary>
    private static Tensor Gather(IReadOnlyList<double> alphaBar, Tensor t, ScalarType dtype, Device device)
    {
        if (t.dim() != 1) throw new ArgumentException($"t must be (B), got ({string.Join(", ", t.shape)})", nameof(t));
        if (t.numel() > 0)
        {
            long low = t.min().item<long>(), high = t.max().item<long>();
            if (low < 1 || high > alphaBar.Count)
                throw new ArgumentOutOfRangeException(nameof(t), $"steps must be in 1..{alphaBar.Count}, got {low}..{high}");
        }
        using var table = torch.tensor(alphaBar.ToArray(), dtype: ScalarType.Float64, device: device);   // (T)
        return table.index_select(0, (t - 1).to(device)).to(dtype);                                      // (B)
    }
}
