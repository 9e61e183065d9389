// IMP end to end on tiny data: level k keeps (1 − p)^k of the weights (to one
// weight per layer), survivors restart from exactly the rewind checkpoint,
// and a rerun skips finished levels. Plus the level plan on its own.
using SparseLab.Foundations;
using SparseLab.Schedules;
using SparseLab.Sparsity;
using SparseLab.Training;

namespace SparseLab.Tests.Schedules;

[Trait("Category", "Slow")]
public sealed class ImpTests
{
    private sealed class Silent : ITrainingObserver;

    private static TrainConfig Tiny() => new()
    {
        Data = new() { Dataset = "synthetic", LimitTrain = 256, LimitTest = 64 },
        Model = new() { Name = "mlp" },
        Optimization = new() { Epochs = 1, BatchSize = 64 },
        Runtime = new() { Threads = 1 },
    };

    private static ImpResult Run(string root, Duration rewind, int levels = 3) =>
        new ImpDriver(new ImpConfig { Train = Tiny(), Pruning = new() { Rate = 0.2, Rewind = rewind }, Levels = levels }, new Silent())
            .Run((k, _) => Path.Combine(root, $"level-{k:00}"), k => Path.Combine(root, "masks", $"level-{k:00}.safetensors"));

    [Fact]
    public void Given_three_levels_Then_level_k_has_sparsity_1_minus_0_8_to_the_k_and_survivors_are_rewound_exactly()
    {
        using var dir = new TempDir();
        var result = Run(dir.Path, Duration.Steps(2));
        Assert.Equal(4, result.Levels.Count);
        using var rewound = SavedRun.Open(result.Levels[0].Run, "rewind-2it");
        var rewind = rewound.Model.state_dict();
        foreach (var level in result.Levels)
        {
            double expected = 1 - Math.Pow(0.8, level.Level);
            using var init = SavedRun.Open(level.Run, "init");
            var layers = init.Prunable;
            long total = layers.Sum(l => l.Weight.numel());
            using var mask = level.Level == 0 ? null : Mask.Load(new RunFolder(level.Run).MaskFile);
            if (mask is not null) Assert.InRange(mask.Sparsity, expected - (double)layers.Count / total, expected + (double)layers.Count / total);
            Assert.InRange(level.Summary.Sparsity, expected - (double)layers.Count / total, expected + (double)layers.Count / total);
            if (level.Level == 0) continue;
            // Rewinding: Init of level k = rewind weights ⊙ M_k, bit for bit; everything else equal to the rewind point.
            foreach (var (name, p) in init.Model.state_dict())
            {
                var expectedValue = mask!.Contains(name) ? rewind[name] * mask[name] : rewind[name];
                Assert.True(p.shape.SequenceEqual(expectedValue.shape) && p.eq(expectedValue).all().item<bool>(), $"level {level.Level}: {name} is not the rewound value");
            }
        }
    }

    [Fact]
    public void Given_finished_levels_When_rerun_Then_they_are_skipped()
    {
        using var dir = new TempDir();
        Run(dir.Path, Duration.Steps(0), levels: 1);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "level-01", "summary.json"));
        var again = Run(dir.Path, Duration.Steps(0), levels: 2);
        Assert.Equal(3, again.Levels.Count);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "level-01", "summary.json")));
    }

    [Fact]
    public void Given_targets_Then_levels_stop_on_them_and_report_the_level_reaching_each()
    {
        var fields = new ImpPlan.Fields("Rate", "Levels", "Targets");
        var plan = ImpPlan.Make(0.2, null, [0.5, 0.9], fields);
        Assert.Equal([0, 0.2, 0.36, 0.488, 0.5], plan.Sparsities.Take(5).Select(s => Math.Round(s, 10)));
        Assert.Equal(0.9, plan.Sparsities[^1]);
        Assert.Equal(4, plan.LevelOf(0.5));
        Assert.Equal(plan.Levels, plan.LevelOf(0.9));
        Assert.Equal(1 - Math.Pow(0.8, 5), ImpPlan.Make(0.2, 5, [], fields).Sparsities[^1], 12);
        Assert.Throws<ConfigError>(() => ImpPlan.Make(0.2, 3, [0.9], fields));
    }
}
