// The pieces of the diffusion U-Net (Models/UNet.cs), after Ho et al. 2020's code (diffusion_tf/models/unet.py):
// the sinusoidal timestep embedding, the residual block with the time embedding added between its convolutions,
// and single-head self-attention over the pixels of a feature map. Every Conv2d and Linear runs through the
// model's LayerRoute so sparse kernels can take them over.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

internal static class TimestepEmbedding
{
    /// <summary>
    /// The transformer's sinusoidal position encoding (Vaswani et al. 2017, §3.5) of the steps as Ho et al.'s
    /// get_timestep_embedding writes it: with h = dim/2 and frequencies ω_i = exp(−ln(10000)·i/(h − 1)), i = 0..h−1,
    /// the embedding of t is [sin(t·ω_0), …, sin(t·ω_{h−1}), cos(t·ω_0), …, cos(t·ω_{h−1})].
    /// <paramref name="t"/> (B) → (B, dim); dim even and at least 4.
    /// </summary>
    public static Tensor Sinusoidal(Tensor t, int dim)
    {
        if (dim < 4 || dim % 2 != 0) throw new ArgumentException($"the embedding needs an even dimension of at least 4, got {dim}", nameof(dim));
        int half = dim / 2;
        using var scope = torch.NewDisposeScope();
        var i = torch.arange(half, dtype: ScalarType.Float32, device: t.device);           // (h)
        var frequencies = torch.exp(i * (-Math.Log(10000) / (half - 1)));                    // (h)
        var angles = t.to(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);      // (B, h)
        return torch.cat([angles.sin(), angles.cos()], 1).MoveToOuterDisposeScope();        // (B, dim)
    }
}

internal static class Norms
{
    /// <summary>
    /// GroupNorm (Wu & He 2018) with up to 8 groups (Ho et al. use 32 on wider maps): the most groups ≤ 8 that divide the
    /// channels. Scale 1 and shift 0 are set here: TorchSharp 0.107's GroupNorm leaves its affine parameters
    /// uninitialized (found as NaN outputs), and Initialization.Apply only resets BatchNorm.
    /// </summary>
    public static GroupNorm Group(int channels)
    {
        int groups = Enumerable.Range(1, Math.Min(8, channels)).Last(g => channels % g == 0);
        var norm = GroupNorm(groups, channels);
        using var noGrad = torch.no_grad();
        init.ones_(norm.weight!);
        init.zeros_(norm.bias!);
        return norm;
    }
}

/// <summary>
/// GroupNorm → SiLU → Conv3×3, plus Linear(SiLU(temb)) per channel, then GroupNorm → SiLU → Conv3×3, added to the
/// input (through a 1×1 convolution when the channel count changes): Ho et al.'s resnet_block without dropout.
/// </summary>
internal sealed class UNetResBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly Conv2d conv1;
    private readonly Linear temb_proj;
    private readonly GroupNorm norm2;
    private readonly Conv2d conv2;
    private readonly Conv2d? shortcut;
    private readonly LayerRoute routes;

    public UNetResBlock(int inChannels, int outChannels, int tembDim, LayerRoute routes) : base(nameof(UNetResBlock))
    {
        norm1 = Norms.Group(inChannels);
        conv1 = Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1);
        temb_proj = Linear(tembDim, outChannels);
        norm2 = Norms.Group(outChannels);
        conv2 = Conv2d(outChannels, outChannels, kernel_size: 3, padding: 1);
        if (inChannels != outChannels) shortcut = Conv2d(inChannels, outChannels, kernel_size: 1);
        this.routes = routes;
        RegisterComponents();
    }

    /// <summary>x (B, in, H, W) and temb (B, tembDim) → (B, out, H, W).</summary>
    public override Tensor forward(Tensor x, Tensor temb)
    {
        var h = routes.Run(conv1, functional.silu(norm1.call(x)));                          // (B, out, H, W)
        var t = routes.Run(temb_proj, functional.silu(temb));                                // (B, out)
        h = h + t.unsqueeze(-1).unsqueeze(-1);                                               // (B, out, H, W)
        h = routes.Run(conv2, functional.silu(norm2.call(h)));                               // (B, out, H, W)
        return (shortcut is null ? x : routes.Run(shortcut, x)) + h;
    }
}

/// <summary>
/// Single-head self-attention over the H·W positions (Ho et al.'s attn_block; Vaswani et al. 2017, Eq. 1):
/// x + proj(softmax(q kᵀ/√C) v), with q, k, v and proj 1×1 convolutions of GroupNorm(x).
/// </summary>
internal sealed class UNetAttention : Module<Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly Conv2d q;
    private readonly Conv2d k;
    private readonly Conv2d v;
    private readonly Conv2d proj;
    private readonly LayerRoute routes;

    public UNetAttention(int channels, LayerRoute routes) : base(nameof(UNetAttention))
    {
        norm = Norms.Group(channels);
        q = Conv2d(channels, channels, kernel_size: 1);
        k = Conv2d(channels, channels, kernel_size: 1);
        v = Conv2d(channels, channels, kernel_size: 1);
        proj = Conv2d(channels, channels, kernel_size: 1);
        this.routes = routes;
        RegisterComponents();
    }

    /// <summary>(B, C, H, W) → (B, C, H, W).</summary>
    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], c = x.shape[1], hw = x.shape[2] * x.shape[3];
        var h = norm.call(x);                                                                // (B, C, H, W)
        var qs = routes.Run(q, h).view(b, c, hw).transpose(1, 2);                           // (B, HW, C)
        var ks = routes.Run(k, h).view(b, c, hw);                                            // (B, C, HW)
        var vs = routes.Run(v, h).view(b, c, hw).transpose(1, 2);                           // (B, HW, C)
        var weights = functional.softmax(qs.matmul(ks) / Math.Sqrt(c), -1);                  // (B, HW, HW)
        var attended = weights.matmul(vs).transpose(1, 2).reshape(x.shape);                 // (B, C, H, W)
        return x + routes.Run(proj, attended);
    }
}
