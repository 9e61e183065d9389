// A small U-Net noise predictor ε_θ(x_t, t) for denoising diffusion (Ho et al. 2020, §4 and Appendix B: a
// PixelCNN++-style U-Net with GroupNorm, sinusoidal time embedding added in every residual block, and
// self-attention at the lowest resolution; Ronneberger et al. 2015 for the U shape). Scaled down for 28×28 and
// 32×32 images on a CPU: one residual block per resolution, channels 32w·(1, 2, 2) at H, H/2 and H/4
// (28 → 14 → 7), one attention block in the middle, skip connections from each level of the way down to the
// same level on the way up, stride-2 3×3 convolutions down and nearest upsampling + 3×3 convolution up.
//
// Input: the packed (B, C + 1, H, W) of Diffusion/DiffusionInput (x_t and a plane holding t = 1..T); output ε̂
// (B, C, H, W). The time plane only feeds the embedding, never a convolution. Every Conv2d and Linear is a plain
// TorchSharp layer routed through Route, so pruning and the sparse kernels see them like any other model's;
// none is zero-initialized (a zero last layer, common in diffusion code, would leave magnitude pruning nothing to
// rank).
using SparseLab.Diffusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

public sealed class UNet : RoutedModule
{
    /// <summary>Channels at full resolution for width multiplier 1.</summary>
    public const int BaseWidth = 32;

    private readonly Linear time_in;
    private readonly Linear time_out;
    private readonly Conv2d conv_in;
    private readonly UNetResBlock down0;
    private readonly Conv2d downsample0;
    private readonly UNetResBlock down1;
    private readonly Conv2d downsample1;
    private readonly UNetResBlock down2;
    private readonly UNetResBlock mid1;
    private readonly UNetAttention attention;
    private readonly UNetResBlock mid2;
    private readonly UNetResBlock up2;
    private readonly Conv2d upsample2;
    private readonly UNetResBlock up1;
    private readonly Conv2d upsample1;
    private readonly UNetResBlock up0;
    private readonly GroupNorm norm_out;
    private readonly Conv2d conv_out;
    private readonly int embeddingDim;

    /// <param name="spec">InChannels is the image's C (the model takes C + 1 with the time plane); H and W multiples of 4.</param>
    public UNet(ModelSpec spec) : base(nameof(UNet))
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.InChannels < 1 || spec.Height % 4 != 0 || spec.Width % 4 != 0 || spec.Height < 4 || spec.Width < 4)
            throw new ArgumentException(
                $"the U-Net needs C ≥ 1 image channels and sides that are multiples of 4 (two halvings), got {spec.InChannels}x{spec.Height}x{spec.Width}", nameof(spec));
        ImageChannels = spec.InChannels;
        int ch = Widths.Scale(BaseWidth, spec.WidthMultiplier);
        int c0 = ch, c1 = 2 * ch, c2 = 2 * ch;             // channel multipliers (1, 2, 2)
        int temb = 4 * ch;                                  // Ho et al.: the time MLP is 4× the base width
        embeddingDim = Math.Max(4, ch + ch % 2);            // the sinusoid needs an even dimension ≥ 4

        time_in = Linear(embeddingDim, temb);
        time_out = Linear(temb, temb);
        conv_in = Conv2d(ImageChannels, c0, kernel_size: 3, padding: 1);
        down0 = new UNetResBlock(c0, c0, temb, Routes);
        downsample0 = Conv2d(c0, c0, kernel_size: 3, stride: 2, padding: 1);
        down1 = new UNetResBlock(c0, c1, temb, Routes);
        downsample1 = Conv2d(c1, c1, kernel_size: 3, stride: 2, padding: 1);
        down2 = new UNetResBlock(c1, c2, temb, Routes);
        mid1 = new UNetResBlock(c2, c2, temb, Routes);
        attention = new UNetAttention(c2, Routes);
        mid2 = new UNetResBlock(c2, c2, temb, Routes);
        up2 = new UNetResBlock(c2 + c2, c2, temb, Routes);
        upsample2 = Conv2d(c2, c2, kernel_size: 3, padding: 1);
        up1 = new UNetResBlock(c2 + c1, c1, temb, Routes);
        upsample1 = Conv2d(c1, c1, kernel_size: 3, padding: 1);
        up0 = new UNetResBlock(c1 + c0, c0, temb, Routes);
        norm_out = Norms.Group(c0);
        conv_out = Conv2d(c0, ImageChannels, kernel_size: 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>C, the channels of the images it denoises (its input has C + 1).</summary>
    public int ImageChannels { get; }

    /// <summary>The packed (B, C + 1, H, W) of <see cref="DiffusionInput.Pack"/> → ε̂ (B, C, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != ImageChannels + 1)
            throw new ArgumentException(
                $"the U-Net takes (B, {ImageChannels + 1}, H, W): {ImageChannels} image channels and the time plane, got ({string.Join(", ", input.shape)})", nameof(input));
        var (xt, t) = DiffusionInput.Unpack(input);                                          // (B, C, H, W), (B)
        var temb = TimestepEmbedding.Sinusoidal(t, embeddingDim);                            // (B, d)
        temb = Route(time_out, functional.silu(Route(time_in, temb)));                       // (B, 4ch)

        var d0 = down0.call(Route(conv_in, xt), temb);                                       // (B, c0, H, W)
        var d1 = down1.call(Route(downsample0, d0), temb);                                   // (B, c1, H/2, W/2)
        var d2 = down2.call(Route(downsample1, d1), temb);                                   // (B, c2, H/4, W/4)

        var m = attention.call(mid1.call(d2, temb));                                         // (B, c2, H/4, W/4)
        m = mid2.call(m, temb);                                                              // (B, c2, H/4, W/4)

        var u = up2.call(torch.cat([m, d2], 1), temb);                                       // (B, c2, H/4, W/4)
        u = up1.call(torch.cat([Upsample(upsample2, u), d1], 1), temb);                      // (B, c1, H/2, W/2)
        u = up0.call(torch.cat([Upsample(upsample1, u), d0], 1), temb);                      // (B, c0, H, W)
        return Route(conv_out, functional.silu(norm_out.call(u)));                           // (B, C, H, W)
    }

    /// <summary>Nearest-neighbour upsampling by 2, then a 3×3 convolution (Ho et al.'s upsample with with_conv).</summary>
    private Tensor Upsample(Conv2d conv, Tensor x) =>
        Route(conv, functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest));   // (B, c, 2H, 2W)
}
