// Sparse training kernels (Training/Kernels): the products against dense
// references, and whole runs on --kernels sparse against --kernels dense —
// the same weights after 200 steps for every optimizer and for fixed and
// drop-and-grow masks, with exact zeros off the mask.
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training;
using SparseLab.Training.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Training;

public sealed class SparseKernelTrainingTests
{
    private sealed class Silent : ITrainingObserver;

    [Fact]
    public void Given_a_random_mask_Then_both_CSR_orders_hold_exactly_the_kept_positions()
    {
        using var mask = torch.rand(37, 53).lt(0.2).to(ScalarType.Float32);
        var s = CsrStructure.FromMask(mask);
        var kept = mask.data<float>().ToArray();
        var forward = new float[37 * 53];
        for (int i = 0; i < 37; i++)
            for (int k = s.RowPtr[i]; k < s.RowPtr[i + 1]; k++) { forward[i * 53 + s.ColIdx[k]] = 1; Assert.Equal(i * 53L + s.ColIdx[k], s.Flat[k]); }
        var transposed = new float[37 * 53];
        for (int j = 0; j < 53; j++)
            for (int p = s.TRowPtr[j]; p < s.TRowPtr[j + 1]; p++)
            {
                int i = s.TColIdx[p];
                transposed[i * 53 + j] = 1;
                Assert.Equal(i * 53L + j, s.Flat[s.Transposed[p]]);   // the entry points back at the same weight
            }
        Assert.Equal(kept, forward);
        Assert.Equal(kept, transposed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(128)]
    [InlineData(131)]
    public void Given_a_sampled_product_Then_each_stored_gradient_is_the_dot_product_of_its_rows(int n)
    {
        using var mask = torch.rand(20, 30).lt(0.3).to(ScalarType.Float32);
        var s = CsrStructure.FromMask(mask);
        var gy = torch.randn(20, n).data<float>().ToArray();
        var x = torch.randn(30, n).data<float>().ToArray();
        var dv = new float[s.Stored];
        SampledProduct.Compute(20, 30, s.RowPtr, s.ColIdx, gy, x, n, dv, threads: 2);
        for (int i = 0; i < 20; i++)
            for (int k = s.RowPtr[i]; k < s.RowPtr[i + 1]; k++)
            {
                double expected = 0;                                      // the naive loop
                for (int b = 0; b < n; b++) expected += (double)gy[i * n + b] * x[s.ColIdx[k] * n + b];
                Assert.Equal(expected, dv[k], 1e-4 * Math.Max(1, Math.Abs(expected)));
            }
    }

    [Fact]
    public void Given_a_masked_Linear_Then_the_sparse_layer_gives_the_outputs_and_gradients_of_the_dense_masked_product()
    {
        using var layer = nn.Linear(40, 24);
        using var mask = torch.rand(24, 40).lt(0.25).to(ScalarType.Float32);
        using (torch.no_grad()) layer.weight!.mul_(mask);
        using var sparse = new SparseLinear("weight", layer);
        sparse.Pack(mask);
        var x = torch.randn(9, 40).requires_grad_(true);
        var y = sparse.Forward(x);
        var upstream = torch.randn(9, 24);
        (y * upstream).sum().backward();

        var xd = x.detach().clone().requires_grad_(true);
        var w = layer.weight!.detach().clone().requires_grad_(true);
        var bd = layer.bias!.detach().clone().requires_grad_(true);
        var yd = nn.functional.linear(xd, w * mask, bd);
        (yd * upstream).sum().backward();

        Assert.True(y.allclose(yd, rtol: 1e-5, atol: 1e-5));
        Assert.True(x.grad!.allclose(xd.grad!, rtol: 1e-5, atol: 1e-5));
        Assert.True(sparse.Values.grad!.allclose(sparse.Gather(w.grad! * mask), rtol: 1e-5, atol: 1e-5));
        Assert.True(layer.bias!.grad!.allclose(bd.grad!, rtol: 1e-5, atol: 1e-5));
    }

    // 1600 / 64 = 25 steps per epoch; 200 steps; drop-and-grow every 10 steps until 150.
    private static TrainConfig Run(string kernels, string optimizer, bool nesterov, string schedule, string model = "mlp", int steps = 200, double sgdLr = 0.05) => new()
    {
        Data = new() { Dataset = "synthetic", LimitTrain = 1600, LimitTest = 128 },
        Model = new() { Name = model },
        Optimization = new()
        {
            Steps = steps, BatchSize = 64, Optimizer = optimizer, Lr = optimizer == "adam" ? 1e-3 : sgdLr,
            Momentum = 0.9, Nesterov = nesterov, WeightDecay = 5e-4,
        },
        Sparsity = new() { Target = 0.9, Budget = "erk", Criterion = "magnitude" },
        MaskSchedule = new() { Kind = schedule, UpdateEvery = Duration.Steps(10), UpdateEnd = Duration.Steps(steps * 3 / 4), DropFraction = 0.3 },
        Runtime = new() { Threads = 1, Kernels = kernels },
        Seed = 3,
    };

    [Theory]
    [InlineData("sgd", false, "none")]
    [InlineData("sgd", true, "none")]
    [InlineData("adam", false, "none")]
    [InlineData("sgd", false, "set")]
    [InlineData("sgd", false, "rigl")]
    [InlineData("adam", false, "rigl")]
    // Convolutional runs with SGD at lr 0.05 are chaotic by step 200: libtorch
    // alone, on 1 thread against 2, ends 20 % apart (rounding flips ReLU and
    // max-pool choices, then RigL's near-tied growth choices). Where training
    // is not chaotic — Adam, or SGD at lr 0.01 for 50 steps — the kernels must
    // agree to 1e-4. ResNet-20 is pinned per step against float64 instead
    // (SparseConvKernelTests): libtorch's own dense convolutions are 5e-4 off
    // there, more than the 1e-4 a whole run could be held to.
    [InlineData("adam", false, "none", "lenet5")]
    [InlineData("adam", false, "rigl", "lenet5", 60)]
    [InlineData("sgd", true, "none", "lenet5", 50, 0.01)]
    [InlineData("sgd", false, "set", "lenet5", 50, 0.01)]
    public void Given_200_steps_on_sparse_kernels_Then_the_weights_equal_the_dense_kernels_run_and_stay_zero_off_the_mask(
        string optimizer, bool nesterov, string schedule, string model = "mlp", int steps = 200, double sgdLr = 0.05)
    {
        using var dir = new TempDir();
        var dense = TrainingRun.Execute(Run("dense", optimizer, nesterov, schedule, model, steps, sgdLr), dir.Combine("dense"), false, new Silent());
        var sparse = TrainingRun.Execute(Run("sparse", optimizer, nesterov, schedule, model, steps, sgdLr), dir.Combine("sparse"), false, new Silent());
        Assert.Equal(steps, sparse.Summary.Steps);
        var kernels = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(sparse.Run.ConfigFile))!["kernels"]!.AsArray();
        Assert.All(kernels, l => Assert.Equal("sparse", (string?)l!["kernels"]));

        using var a = Load(dense.Run.FinalCheckpoint, model);
        using var b = Load(sparse.Run.FinalCheckpoint, model);
        using var finalMask = Mask.Load(sparse.Run.MaskFile);
        using var denseMask = Mask.Load(dense.Run.MaskFile);
        var wb = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in finalMask.Names)
        {
            long moved = finalMask[name].ne(denseMask[name]).count_nonzero().item<long>();
            Assert.True(moved == 0, $"{name}: the masks diverged at {moved} of {finalMask[name].numel()} positions");
            Assert.Equal(0, wb[name].detach().masked_select(finalMask[name].eq(0)).count_nonzero().item<long>());
        }
        foreach (var (name, w) in a.named_parameters())
        {
            double scale = w.abs().max().item<float>();
            double diff = (w - wb[name]).abs().max().item<float>();
            Assert.True(diff <= 1e-4 * scale, $"{name}: sparse kernels differ from dense by {diff:g3} (scale {scale:g3})");
        }
        Assert.Equal(dense.Summary.Sparsity, sparse.Summary.Sparsity);
    }

    [Fact]
    public void Given_the_same_seed_and_two_threads_Then_two_runs_on_sparse_kernels_give_identical_numbers()
    {
        using var dir = new TempDir();
        var config = Run("sparse", "sgd", false, "rigl") with { Runtime = new() { Threads = 2, Kernels = "sparse" } };
        var a = TrainingRun.Execute(config, dir.Combine("a"), false, new Silent()).Summary;
        var b = TrainingRun.Execute(config, dir.Combine("b"), false, new Silent()).Summary;
        Assert.Equal(a.TrainLoss, b.TrainLoss);
        Assert.Equal(a.TestLoss, b.TestLoss);
    }

    private static nn.Module<Tensor, Tensor> Load(string checkpoint, string name = "mlp")
    {
        var model = ModelRegistry.Create(new ModelSpec(name, 1, 28, 28, 10));
        Checkpoint.Load(checkpoint, model);
        return model;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Given_a_gap_study_on_sparse_kernels_Then_its_dense_run_trains_densely_and_its_sparse_runs_on_the_kernels()
    {
        using var dir = new TempDir();
        var r = Cli.CliRunner.Run("study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.95", "--seeds", "1",
            "--epochs", "1", "--limit-train", "256", "--limit-test", "64", "--no-fisher", "--kernels", "sparse", "--threads", "1",
            "--out", dir.Combine("study"));
        Assert.True(r.ExitCode == 0, r.Err);
        var configs = Directory.GetDirectories(dir.Combine("study", "runs")).ToDictionary(
            d => Path.GetFileName(d).Split('-')[0], d => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(d, "config.json")))!);
        Assert.Null(configs["dense"]["kernels"]);
        Assert.Equal("sparse", (string?)configs["scratch"]["kernels"]![0]!["kernels"]);
        Assert.Equal("sparse", (string?)configs["finetune"]["kernels"]![0]!["kernels"]);
    }

    [Theory]
    [InlineData("mlp", 0.0, "none", "trains densely")]
    [InlineData("mlp", 0.9, "gmp", "gmp changes the layer's weight count")]
    public void Given_sparse_kernels_where_there_are_none_Then_the_run_stops_with_a_kernels_error_before_writing(
        string model, double sparsity, string schedule, string expected)
    {
        using var dir = new TempDir();
        var config = Run("sparse", "sgd", false, schedule) with
        {
            Model = new() { Name = model },
            Sparsity = new() { Target = sparsity, Budget = "global" },
            MaskSchedule = schedule == "gmp" ? new() { Kind = "gmp", InitialSparsity = 0.5 } : new(),
        };
        var e = Assert.Throws<ConfigError>(() => TrainingRun.Execute(config, dir.Combine("run"), false, new Silent()));
        Assert.Contains("runtime.kernels sparse", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    private sealed class DilatedNet : RoutedModule
    {
        private readonly TorchSharp.Modules.Conv2d conv = nn.Conv2d(3, 8, 3, dilation: 2);

        public DilatedNet() : base("dilated") => RegisterComponents();

        public override Tensor forward(Tensor x) => Route(conv, x);
    }

    [Fact]
    public void Given_a_convolution_without_a_sparse_kernel_Then_sparse_refuses_it_by_name_and_auto_keeps_it_dense()
    {
        using var model = new DilatedNet();
        using var mask = new Mask(new Dictionary<string, Tensor> { ["conv.weight"] = torch.rand(8, 3, 3, 3).lt(0.1).to(ScalarType.Float32) });
        var e = Assert.Throws<ConfigError>(() => KernelPlan.Choose("sparse", model, mask, null, torch.CPU));
        Assert.Contains("layer conv.weight cannot train on sparse kernels (dilated convolution)", e.Message);
        var auto = Assert.Single(KernelPlan.Choose("auto", model, mask, null, torch.CPU, auto: new RecordedKernels([new LayerKernel("conv.weight", "sparse", 0.1, null)])));
        Assert.Equal(("dense", "dilated convolution"), (auto.Kernels, auto.Reason));
    }
}
