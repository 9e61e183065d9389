// SET, RigL and GMP inside real (tiny) training runs, checked at every mask
// update by a callback that runs right after the schedule's: sparsity on
// target, grow count = drop count per layer, grown weights and their
// optimizer state exactly zero, GMP on the cubic formula.
using SparseLab.Foundations;
using SparseLab.Schedules;
using SparseLab.Sparsity;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Schedules;

public sealed class DynamicSparsityTests
{
    private sealed class Silent : ITrainingObserver;

    // 512 examples / 64 = 8 steps per epoch, 16 steps; ΔT = 2 and T_end = 12 give updates at 2, 4, ..., 12.
    private static TrainConfig Tiny(string schedule, string optimizer = "sgd") => new()
    {
        Data = new() { Dataset = "synthetic", LimitTrain = 512, LimitTest = 128 },
        Model = new() { Name = "mlp" },
        Optimization = new() { Epochs = 2, BatchSize = 64, Optimizer = optimizer, Lr = optimizer == "adam" ? 1e-3 : 0.05, Momentum = 0.9 },
        Sparsity = new() { Target = 0.9, Budget = schedule == "gmp" ? "global" : "erk", Criterion = schedule == "gmp" ? "magnitude" : "random" },
        MaskSchedule = new() { Kind = schedule, UpdateEvery = Duration.Steps(2), UpdateEnd = Duration.Steps(12), DropFraction = 0.5 },
        Runtime = new() { Threads = 1 },
    };

    /// <summary>Records what every update did, comparing the mask with the one before it.</summary>
    private sealed class Probe : ITrainingCallback
    {
        private Dictionary<string, Tensor> _before = [];
        public List<(long Step, double Sparsity, Dictionary<string, (long Dropped, long Grown, long Nonzero)> Layers, double GrownWeightMax, double GrownStateMax)> Updates { get; } = [];

        public void OnTrainBegin(TrainingContext context) => Snapshot(context.Mask!);

        public void OnAfterStep(TrainingContext context)
        {
            var mask = context.Mask!;
            var layers = new Dictionary<string, (long, long, long)>();
            double weightMax = 0, stateMax = 0;
            bool changed = false;
            var weights = PrunableParameters.Of(context.Model).ToDictionary(p => p.Name, p => p.Weight);
            var states = OptimizerStates.Of(context.Optimizer).ToList();
            foreach (var name in mask.Names)
            {
                var (old, now) = (_before[name], mask[name]);
                var grown = now.gt(0.5).logical_and(old.lt(0.5));
                long g = grown.sum().item<long>(), d = old.gt(0.5).logical_and(now.lt(0.5)).sum().item<long>();
                changed |= g + d > 0;
                layers[name] = (d, g, now.count_nonzero().item<long>());
                if (g == 0) continue;
                weightMax = Math.Max(weightMax, weights[name].detach().masked_select(grown).abs().max().item<float>());
                foreach (var t in states.Where(s => s.Parameter.Handle == weights[name].Handle).SelectMany(s => s.State))
                    stateMax = Math.Max(stateMax, t.masked_select(grown).abs().max().item<float>());
            }
            if (changed || context.Step % 2 == 0 && context.Step <= 12)
                Updates.Add((context.Step, mask.Sparsity, layers, weightMax, stateMax));
            Snapshot(mask);
        }

        private void Snapshot(Mask mask) => _before = mask.Names.ToDictionary(n => n, n => mask[n].clone().DetachFromDisposeScope());
    }

    [Theory]
    [InlineData("set", "sgd")]
    [InlineData("rigl", "sgd")]
    [InlineData("rigl", "adam")]
    public void Given_drop_and_grow_When_the_mask_updates_Then_sparsity_stays_on_target_grow_equals_drop_and_grown_weights_start_at_zero(string schedule, string optimizer)
    {
        using var dir = new TempDir();
        var probe = new Probe();
        var o = TrainingRun.Execute(Tiny(schedule, optimizer), dir.Combine("run"), resume: false, new Silent(), [probe]);

        Assert.Equal([2L, 4, 6, 8, 10, 12], probe.Updates.Select(u => u.Step));        // every ΔT until T_end, nothing after
        Assert.Contains(probe.Updates, u => u.Layers.Values.Sum(l => l.Grown) > 0);
        using var start = Mask.Load(Path.Combine(dir.Path, "run", "mask.safetensors"));
        foreach (var u in probe.Updates)
        {
            Assert.Equal(0.9, u.Sparsity, 3);
            foreach (var (name, l) in u.Layers) Assert.Equal(l.Dropped, l.Grown);     // grown = dropped in every layer
            Assert.Equal(0.0, u.GrownWeightMax);                                        // grown weights start at exactly 0
            Assert.Equal(0.0, u.GrownStateMax);                                         // and their optimizer state is reset
        }
        Assert.InRange(o.Summary.Sparsity, 0.9 - 1e-3, 0.9 + 1e-3);
    }

    [Fact]
    public void Given_rigl_Then_each_layer_keeps_its_erk_count_and_the_final_mask_is_saved()
    {
        using var dir = new TempDir();
        var probe = new Probe();
        var o = TrainingRun.Execute(Tiny("rigl"), dir.Combine("run"), resume: false, new Silent(), [probe]);
        var first = probe.Updates[0].Layers.ToDictionary(kv => kv.Key, kv => kv.Value.Nonzero);
        Assert.All(probe.Updates, u => Assert.All(u.Layers, kv => Assert.Equal(first[kv.Key], kv.Value.Nonzero)));
        using var final = Mask.Load(o.Run.MaskFile);
        using var saved = SavedRun.Open(o.Run.Path, "final");
        foreach (var (name, w) in saved.Prunable)
            Assert.Equal(0, w.detach().masked_select(final[name].eq(0)).count_nonzero().item<long>());   // zeros exactly where the final mask is 0
    }

    [Fact]
    public void Given_gmp_Then_sparsity_follows_the_cubic_schedule_at_every_update_and_ends_on_target()
    {
        using var dir = new TempDir();
        var probe = new Probe();
        var c = Tiny("gmp");
        c = c with { MaskSchedule = c.MaskSchedule with { InitialSparsity = 0.2 } };
        var o = TrainingRun.Execute(c, dir.Combine("run"), resume: false, new Silent(), [probe]);
        long total = 784 * 300 + 300 * 100 + 100 * 10;
        Assert.Equal([2L, 4, 6, 8, 10, 12], probe.Updates.Select(u => u.Step));
        foreach (var u in probe.Updates)
        {
            double expected = 0.9 + (0.2 - 0.9) * Math.Pow(1 - u.Step / 12.0, 3);     // Zhu & Gupta 2017, t0 = 0, nΔt = 12
            Assert.InRange(u.Sparsity, expected - 1.0 / total, expected + 1.0 / total);
            Assert.All(u.Layers.Values, l => Assert.Equal(0, l.Grown));                 // GMP never regrows
        }
        Assert.Equal(0.9, o.Summary.Sparsity, 3);
    }

    [Fact]
    public void Given_a_schedule_Then_the_training_cost_integrates_the_mask_events()
    {
        // Dense for 10 steps, then a quarter of the forward cost for 10; one RigL-style dense-gradient update at 10.
        double cost = TrainingCost.Relative([(0, 1.0, false), (10, 0.25, true)], 20);
        Assert.Equal((3 * 10 * 1.0 + 3 * 10 * 0.25 + (1 - 1.0)) / 60, cost, 12);
        Assert.Equal((3 * 10 * 0.5 + 3 * 10 * 0.25 + 0.5) / 60, TrainingCost.Relative([(0, 0.5, false), (10, 0.25, true)], 20), 12);
        Assert.Equal(1.0, TrainingCost.Relative([], 20));
    }

    [Fact]
    public void Given_a_checkpoint_with_a_mask_Then_loading_returns_the_same_mask()
    {
        using var dir = new TempDir();
        torch.manual_seed(1);
        using var model = SparseLab.Models.ModelRegistry.Create(new SparseLab.Models.ModelSpec("mlp", 1, 28, 28, 10));
        var prunable = PrunableParameters.Of(model);
        var gen = new Generator(5);
        using var mask = new Mask(prunable.ToDictionary(p => p.Name, p => torch.rand(p.Weight.shape, generator: gen).gt(0.7).to(ScalarType.Float32)));
        using var opt = OptimizerFactory.Create(new OptimizationConfig(), model.parameters());
        string file = dir.Combine("c.ckpt");
        Checkpoint.Save(file, model, opt, new TrainingState(1, 10, 0), mask);
        var (state, loaded) = Checkpoint.LoadWithMask(file, model, opt);
        using var _ = loaded;
        Assert.Equal(10, state.Step);
        Assert.NotNull(loaded);
        foreach (var name in mask.Names) Assert.True(mask[name].eq(loaded![name]).all().item<bool>());
    }
}
