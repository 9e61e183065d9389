// The sparse Conv2d kernels (Training/Kernels/SparseConvKernel) against
// libtorch's dense convolution with the masked weight: outputs, input,
// weight and bias gradients, for stride-1 layers (the padded-grid path, with
// the input gradient as a flipped correlation) and strided ones (the scalar
// path), with and without padding and bias; and a whole ResNet-20 step
// against float64.
using SparseLab.Models;
using SparseLab.Training.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Tests.Training;

public sealed class SparseConvKernelTests
{
    [Theory]
    [InlineData(5, 7, 3, 1, 1, 11, 9, false)]    // ResNet's 3×3, odd sizes
    [InlineData(4, 6, 3, 2, 1, 12, 10, false)]   // ResNet's strided 3×3
    [InlineData(1, 6, 5, 1, 2, 14, 14, true)]    // LeNet-5's conv1
    [InlineData(6, 5, 5, 1, 0, 9, 9, true)]      // LeNet-5's conv2 (no padding)
    [InlineData(3, 4, 1, 2, 0, 8, 8, true)]      // a 1×1 projection with stride
    [InlineData(8, 8, 3, 1, 1, 4, 4, false)]     // smaller than a register tile
    [InlineData(16, 32, 3, 2, 1, 28, 28, false, 64)]   // ResNet-20's first strided layer on 28×28 images, a full batch
    [InlineData(32, 32, 3, 1, 1, 14, 14, false, 64)]
    public void Given_a_masked_convolution_Then_the_sparse_kernels_give_libtorchs_outputs_and_gradients(
        int inC, int outC, int k, int stride, int pad, int h, int w, bool bias, int batch = 5)
    {
        torch.manual_seed(7);
        using var conv = nn.Conv2d(inC, outC, k, stride: stride, padding: pad, bias: bias);
        using var mask = torch.rand(outC, inC, k, k).lt(0.3).to(ScalarType.Float32);
        using (torch.no_grad()) conv.weight!.mul_(mask);
        using var sparse = new SparseConv2d("weight", conv);
        sparse.Pack(mask);
        var x = torch.randn(batch, inC, h, w).requires_grad_(true);
        var y = sparse.Forward(x);
        var upstream = torch.randn_like(y);
        (y * upstream).sum().backward();

        var xd = x.detach().clone().requires_grad_(true);
        var wd = conv.weight!.detach().clone().requires_grad_(true);
        var bd = bias ? conv.bias!.detach().clone().requires_grad_(true) : null;
        var yd = nn.functional.conv2d(xd, wd * mask, bd, strides: [stride, stride], padding: [pad, pad]);
        (yd * upstream).sum().backward();

        Assert.Equal(yd.shape, y.shape);
        Assert.True(y.allclose(yd, rtol: 1e-4, atol: 1e-5), "outputs");
        Assert.True(x.grad!.allclose(xd.grad!, rtol: 1e-4, atol: 1e-5), "input gradient");
        var expectedGrad = sparse.Gather(wd.grad! * mask);
        var gdiff = (sparse.Values.grad! - expectedGrad).abs();
        Assert.True(sparse.Values.grad!.allclose(expectedGrad, rtol: 1e-4, atol: 1e-4 * Math.Max(1, expectedGrad.abs().max().item<float>())),
            $"weight gradient: max diff {gdiff.max().item<float>():g3} at {gdiff.argmax().item<long>()} of {gdiff.numel()}, scale {expectedGrad.abs().max().item<float>():g3}");
        if (bias) Assert.True(conv.bias!.grad!.allclose(bd!.grad!, rtol: 1e-4, atol: 1e-4), "bias gradient");
    }

    [Fact]
    public void Given_a_rigl_update_step_Then_the_layer_also_leaves_the_dense_weight_gradient()
    {
        torch.manual_seed(3);
        using var conv = nn.Conv2d(3, 4, 3, padding: 1, bias: false);
        using var mask = torch.rand(4, 3, 3, 3).lt(0.4).to(ScalarType.Float32);
        using (torch.no_grad()) conv.weight!.mul_(mask);
        using var sparse = new SparseConv2d("weight", conv);
        sparse.Pack(mask);
        sparse.KeepDenseGradient = true;
        var x = torch.randn(2, 3, 6, 6);
        var upstream = torch.randn(2, 4, 6, 6);
        (sparse.Forward(x) * upstream).sum().backward();

        var wd = conv.weight!.detach().clone().requires_grad_(true);
        (nn.functional.conv2d(x, wd, padding: [1, 1]) * upstream).sum().backward();
        Assert.True(sparse.DenseGradient!.allclose(wd.grad!, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void Given_the_same_inputs_and_thread_count_Then_the_weight_gradient_is_identical()
    {
        torch.manual_seed(5);
        using var conv = nn.Conv2d(8, 8, 3, padding: 1, bias: false);
        using var mask = torch.rand(8, 8, 3, 3).lt(0.2).to(ScalarType.Float32);
        using var sparse = new SparseConv2d("weight", conv);
        sparse.Pack(mask);
        var x = torch.randn(16, 8, 16, 16);
        var upstream = torch.randn(16, 8, 16, 16);
        float[] Gradient()
        {
            sparse.Values.grad = null;
            (sparse.Forward(x) * upstream).sum().backward();
            return sparse.Values.grad!.data<float>().ToArray();
        }
        Assert.Equal(Gradient(), Gradient());
    }

    [Fact]
    public void Given_a_structure_that_points_outside_the_kernel_Then_the_kernel_refuses_it_before_reading()
    {
        var g = new ConvGeometry(2, 4, 4, 2, 3, 3, 1, 1, 1, 1);
        var x = new float[2 * 32];
        var y = new float[2 * 32];
        var ex = Assert.Throws<ArgumentException>(() =>
            SparseConvKernel.Correlate(g, [0, 1, 2], [0, 18], [0, 1], [1f, 1f], x, 2, y, default, 1));
        Assert.Contains("outside the kernel's 18 columns", ex.Message);
        Assert.Throws<ArgumentException>(() => SparseConvKernel.Correlate(g, [0, 2, 1], [0, 1], [0, 1], [1f, 1f], x, 2, y, default, 1));
        Assert.Throws<ArgumentException>(() => SparseConvKernel.Correlate(g, [0, 1, 2], [0, 1], [0, 1], [1f, 1f], x, 3, y, default, 1));
    }

    private sealed class ConvRouter(Dictionary<Conv2d, SparseConv2d> layers) : ILayerRouter
    {
        public Tensor? Forward(Linear layer, Tensor input) => null;
        public Tensor? Forward(Conv2d layer, Tensor input) => layers.TryGetValue(layer, out var s) ? s.Forward(input) : null;
    }

    // The reference is the same step in float64. Measured: the sparse kernels
    // are within 5e-6 of it everywhere; libtorch's own float32 convolutions
    // are up to 3e-3 off (the input gradients of its 14×14 layers), which is
    // why whole ResNet runs drift apart from the dense path by more than 1e-4.
    [Fact]
    public void Given_a_resnet20_step_on_sparse_convolutions_Then_every_gradient_is_within_1e_5_of_float64()
    {
        torch.manual_seed(5);
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            var model = ModelRegistry.Create(new ModelSpec("resnet20", 1, 28, 28, 10));
            var masks = new Dictionary<string, Tensor>();
            using (torch.no_grad())
                foreach (var (name, p) in model.named_parameters().Where(p => p.parameter.dim() == 4))
                {
                    masks[name] = torch.rand(p.shape).lt(0.1).to(ScalarType.Float32);
                    p.mul_(masks[name]);
                }
            var x = torch.randn(64, 1, 28, 28);
            var labels = torch.randint(0, 10, [64]);
            Dictionary<string, Tensor> Gradients(Tensor input)
            {
                foreach (var p in model.parameters()) p.grad = null;
                nn.functional.cross_entropy(model.call(input), labels).backward();
                return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.clone() ?? torch.zeros_like(p.parameter));
            }

            var convs = model.named_modules().Where(m => m.module is Conv2d)
                .ToDictionary(m => (Conv2d)m.module, m => new SparseConv2d(m.name + ".weight", (Conv2d)m.module));
            foreach (var layer in convs.Values) layer.Pack(masks[layer.Name]);
            ((RoutedModule)model).Router = new ConvRouter(convs);
            var sparse = Gradients(x);
            foreach (var layer in convs.Values) layer.Scatter(layer.Values.grad!, sparse[layer.Name]);
            ((RoutedModule)model).Router = null;

            model.to(ScalarType.Float64);
            foreach (var (name, exact) in Gradients(x.to(ScalarType.Float64)))
            {
                var kept = masks.TryGetValue(name, out var m) ? m.to(ScalarType.Float64) : torch.ones_like(exact);
                double scale = (exact * kept).abs().max().item<double>();
                double error = ((sparse[name].to(ScalarType.Float64) - exact) * kept).abs().max().item<double>() / scale;
                Assert.True(error <= 1e-5, $"{name}: the sparse step's gradient is {error:g3} (relative) from float64");
            }
        }
        finally { torch.set_num_threads(threads); }
    }
}
