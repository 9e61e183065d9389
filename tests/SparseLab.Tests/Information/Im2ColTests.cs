// The strided-view im2col against libtorch's own unfold, including stride, padding, dilation and odd sizes.
using SparseLab.Information;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

public sealed class Im2ColTests
{
    [Theory]
    [InlineData(3, 3, 1, 1, 1, 1, 1, 1)]
    [InlineData(3, 3, 2, 2, 1, 1, 1, 1)]
    [InlineData(1, 1, 2, 2, 0, 0, 1, 1)]      // ResNet option-B style 1 × 1, stride 2
    [InlineData(5, 5, 1, 1, 0, 0, 1, 1)]      // LeNet-5
    [InlineData(3, 2, 2, 1, 2, 0, 2, 1)]      // everything asymmetric, dilated
    public void Given_a_conv_geometry_Then_im2col_equals_unfold(long kh, long kw, long sh, long sw, long ph, long pw, long dh, long dw)
    {
        torch.manual_seed(1);
        using var x = torch.randn(3, 4, 11, 9);
        using var expected = nn.functional.unfold(x, (kh, kw), dilation: (dh, dw), padding: (ph, pw), stride: (sh, sw));
        using var actual = Im2Col.Unfold(x, kh, kw, (sh, sw), (ph, pw), (dh, dw));
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.eq(actual).all().item<bool>());
    }
}
