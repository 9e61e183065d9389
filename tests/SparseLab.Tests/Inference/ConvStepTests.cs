// The inference engine's two convolutions — im2col (ConvStep) and direct on
// the padded input (DirectConvStep, stride 1) — against a naive loop in
// double precision over the (C, H, W, B) layout: padding 0 to 2, kernels 1
// to 5, batch 1 and widths that are not multiples of the vector tile, bias and
// ReLU, one and two threads.
using SparseLab.Inference;

namespace SparseLab.Tests.Inference;

public sealed class ConvStepTests
{
    private static float[] Naive(float[] w, float[] bias, int o, int c, int k, int stride, int pad, float[] x, int h, int wd, int b, bool relu)
    {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (wd + 2 * pad - k) / stride + 1;
        var y = new float[o * oh * ow * b];
        for (int oc = 0; oc < o; oc++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int n = 0; n < b; n++)
                    {
                        double s = bias[oc];
                        for (int ic = 0; ic < c; ic++)
                            for (int ki = 0; ki < k; ki++)
                                for (int kj = 0; kj < k; kj++)
                                {
                                    int ih = i * stride - pad + ki, iw = j * stride - pad + kj;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    s += (double)w[((oc * c + ic) * k + ki) * k + kj] * x[((ic * h + ih) * wd + iw) * b + n];
                                }
                        y[((oc * oh + i) * ow + j) * b + n] = relu && s < 0 ? 0 : (float)s;
                    }
        return y;
    }

    [Theory]
    [InlineData(3, 5, 3, 1, 1, 9, 7, 3, 2)]
    [InlineData(4, 6, 5, 1, 2, 8, 8, 1, 1)]
    [InlineData(6, 4, 5, 1, 0, 10, 9, 5, 2)]
    [InlineData(5, 7, 1, 1, 0, 6, 6, 33, 2)]
    [InlineData(16, 16, 3, 1, 1, 8, 8, 64, 2)]
    [InlineData(4, 8, 3, 2, 1, 9, 9, 5, 1)]    // strided: im2col only
    public void Given_a_sparse_convolution_Then_both_engine_paths_match_the_naive_loop(int c, int o, int k, int stride, int pad, int h, int wd, int batch, int threads)
    {
        var rng = new Random(c * 100 + k);
        var w = new float[o * c * k * k];
        for (int i = 0; i < w.Length; i++) if (rng.NextDouble() < 0.3) w[i] = (float)(rng.NextDouble() * 2 - 1);
        var bias = Enumerable.Range(0, o).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var x = Enumerable.Range(0, c * h * wd * batch).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var layer = new WeightedLayer(CsrMatrix.FromDense(w, o, c * k * k), bias);
        var spec = new LayerSpec("conv2d", "conv", c, o, [k, k], [stride, stride], [pad, pad], "csr", Relu: true);
        var expected = Naive(w, bias, o, c, k, stride, pad, x, h, wd, batch, relu: true);

        var steps = new List<IStep> { new ConvStep(spec, layer, c, h, wd) };
        Assert.Equal(stride == 1, DirectConvStep.Supports(spec, layer));
        if (stride == 1) steps.Add(new DirectConvStep(spec, layer, c, h, wd));
        foreach (var step in steps)
        {
            Assert.Equal(expected.Length, step.OutSize * batch);
            var y = new float[expected.Length];
            var scratch = new float[step.ScratchSize * batch];
            step.Run(x, batch, y, scratch, threads);
            for (int i = 0; i < y.Length; i++)
                Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{step.GetType().Name}: y[{i}] = {y[i]}, expected {expected[i]}");
        }
    }
}
