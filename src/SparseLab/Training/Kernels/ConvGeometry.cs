// The shape of one 2-D correlation of a batch: input (C, H, W) per image,
// output (O, OH, OW), a kh×kw kernel, stride and zero padding (dilation 1,
// one group), and the layout the sparse kernels compute it in. Each image is
// zero-padded and split into stride phases: with stride (sh, sw), padded
// pixel (a, b) goes to phase plane (c, a mod sh, b mod sw) at (a / sh, b / sw),
// so tap (c, ki, kj) of output (oh, ow) reads phase plane (c, ki mod sh,
// kj mod sw) at (oh + ki / sh, ow + kj / sw) — a stride-1 shift, and with
// output (oh, ow) at grid position oh · Wq + ow, one contiguous run of the
// phase planes per tap (for stride 1 the phases are the padded image itself).
// The input gradient of a stride-1 correlation is itself a stride-1
// correlation (of dY, padded by k − 1 − p, with the kernel flipped and its
// channel axes swapped; Dumoulin & Visin 2016, §4.1).
namespace SparseLab.Training.Kernels;

internal readonly record struct ConvGeometry(int InChannels, int Height, int Width, int OutChannels,
    int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW)
{
    public int OutHeight => (Height + 2 * PadH - KernelH) / StrideH + 1;
    public int OutWidth => (Width + 2 * PadW - KernelW) / StrideW + 1;
    public int Taps => KernelH * KernelW;
    public int InputSize => InChannels * Height * Width;
    public int OutputSize => OutChannels * OutHeight * OutWidth;

    public int Phases => StrideH * StrideW;
    /// <summary>A phase plane's height and width: the padded image's, divided by the stride, rounded up.</summary>
    public int PhaseHeight => (Height + 2 * PadH + StrideH - 1) / StrideH;
    public int PhaseWidth => (Width + 2 * PadW + StrideW - 1) / StrideW;
    public int PhasePlane => PhaseHeight * PhaseWidth;

    /// <summary>Whether the input gradient is the flipped stride-1 correlation (InputGradient).</summary>
    public bool Unit => StrideH == 1 && StrideW == 1 && PadH < KernelH && PadW < KernelW;

    /// <summary>The output grid: output (oh, ow) sits at oh · PhaseWidth + ow; the columns past OutWidth are scratch.</summary>
    public int Grid => OutHeight * PhaseWidth;

    /// <summary>Where tap (c, ki, kj) starts in an image's phase planes.</summary>
    public int Offset(int c, int ki, int kj) =>
        ((c * StrideH + ki % StrideH) * StrideW + kj % StrideW) * PhasePlane + ki / StrideH * PhaseWidth + kj / StrideW;

    /// <summary>Where padded pixel (c, a, b) sits in the phase planes.</summary>
    public int PhaseIndex(int c, int a, int b) => Offset(c, a, b);

    /// <summary>The correlation that computes this one's input gradient (for Unit geometries).</summary>
    public ConvGeometry InputGradient => new(OutChannels, OutHeight, OutWidth, InChannels,
        KernelH, KernelW, 1, 1, KernelH - 1 - PadH, KernelW - 1 - PadW);
}
