// `--kernels auto` decides each layer by its step timed on this machine:
// what the cache keys a layer by, the cache file's round trip and its
// corruption, decisions read from a seeded cache without measuring, a
// measurement recorded once and read back, the probe leaving the global
// generator alone, a resumed run keeping its recorded kernels, and `bench
// train --kernels auto`. No test depends on which kernel is faster here: the
// times are seeded, faked or flipped.
using System.Text.Json.Nodes;
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Tests.Cli;
using SparseLab.Training;
using SparseLab.Training.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Training;

public sealed class KernelAutoTests
{
    private static readonly KernelMachine Machine = new("Test CPU 9000", 2, 2, "2.10.0", 1);
    private static readonly InputShape Mnist = new(1, 28, 28, 10);
    private static readonly StepTimes SparseFaster = new(2.0, 1.0, DateTimeOffset.UnixEpoch);
    private static readonly StepTimes DenseFaster = new(1.0, 2.0, DateTimeOffset.UnixEpoch);

    private static nn.Module<Tensor, Tensor> Model(string name, InputShape input) =>
        ModelRegistry.Create(new ModelSpec(name, input.Channels, input.Height, input.Width, input.NumClasses));

    private static nn.Module Layer(nn.Module model, string name) => model.named_modules().Single(m => m.name == name).module;

    /// <summary>A mask keeping a random <paramref name="density"/> of each named weight.</summary>
    private static Mask MaskOf(nn.Module model, double density, params string[] layers) => new(layers.ToDictionary(
        l => l + ".weight",
        l => (Tensor)torch.rand(model.named_parameters().Single(p => p.name == l + ".weight").parameter.shape).lt(density).to(ScalarType.Float32)));

    private static KernelCase CaseOf(nn.Module model, InputShape input, string layer, int batch, double density) =>
        LayerInputs.Of((RoutedModule)model, input)[Layer(model, layer)].Case(Layer(model, layer), batch, density);

    [Fact]
    public void Given_an_mlp_a_resnet_and_a_gpt_Then_each_layer_is_keyed_by_its_shape_rows_input_gradient_and_density()
    {
        using var mlp = Model("mlp", Mnist);
        Assert.Equal("linear 300x784 batch 64 no-input-grad density 0.10", CaseOf(mlp, Mnist, "fc1", 64, 0.1).Key);   // the data needs no gradient
        Assert.Equal("linear 100x300 batch 64 density 0.05", CaseOf(mlp, Mnist, "fc2", 64, 0.0512).Key);
        Assert.Equal("linear 100x300 batch 64 density 0.01", CaseOf(mlp, Mnist, "fc2", 64, 0.001).Key);    // at least 0.01

        var cifar = new InputShape(3, 32, 32, 10);
        using var resnet = Model("resnet20", cifar);
        var bn = resnet.named_buffers().First(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)).buffer.clone();
        resnet.train();
        Assert.Equal("conv2d 3->16 k3x3 s1x1 p1x1 in 32x32 batch 128 no-input-grad density 0.30", CaseOf(resnet, cifar, "conv1", 128, 0.3).Key);
        Assert.Equal("conv2d 16->32 k3x3 s2x2 p1x1 in 32x32 batch 128 density 0.20", CaseOf(resnet, cifar, "layer2.0.conv1", 128, 0.2).Key);
        Assert.Equal("conv2d 64->64 k3x3 s1x1 p1x1 in 8x8 batch 128 density 0.05", CaseOf(resnet, cifar, "layer3.2.conv2", 128, 0.05).Key);
        Assert.True(resnet.training);                                                                                   // the pass ran in eval mode, then back
        Assert.True(resnet.named_buffers().First(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)).buffer.eq(bn).all().item<bool>());
        Assert.Null(((RoutedModule)resnet).Router);

        var text = InputShape.Text(16);
        using var gpt = ModelRegistry.Create(new ModelSpec("gpt", 0, 0, 0, text.NumClasses, Gpt: new GptConfig(BlockSize: 16, Layers: 1, Embedding: 32), Tokens: 16));
        var linear = gpt.named_modules().First(m => m.module is TorchSharp.Modules.Linear);
        var c = LayerInputs.Of((RoutedModule)gpt, text)[linear.module].Case(linear.module, 8, 0.2);
        Assert.Equal(8 * 16, c.Batch);                                                                                  // one row per position

        Assert.Equal("Test CPU 9000 | 2 cores | 2 threads | libtorch 2.10.0 | kernels v1", Machine.Key);
    }

    [Fact]
    public void Given_times_added_Then_a_new_cache_on_the_same_file_finds_them_under_the_machine_and_case()
    {
        using var dir = new TempDir();
        var warnings = new List<string>();
        var c = KernelCase.Of(new LinearShape(300, 784), 64, false, 0.1);
        var times = new StepTimes(1.32, 0.41, new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.Zero));
        new KernelTimeCache(dir.Combine("kernel-times.json"), warnings.Add).Add(Machine, c, times);

        var again = new KernelTimeCache(dir.Combine("kernel-times.json"), warnings.Add);
        Assert.Equal(times, again.Find(Machine, c));
        Assert.Null(again.Find(Machine with { Threads = 1 }, c));
        Assert.Null(again.Find(Machine with { KernelVersion = 2 }, c));
        Assert.Null(again.Find(Machine, c with { Batch = 128 }));
        var file = JsonNode.Parse(File.ReadAllText(dir.Combine("kernel-times.json")))!;
        Assert.Equal(1.32, (double)file["machines"]![Machine.Key]![c.Key]!["dense_ms"]!);
        Assert.Null(file["machines"]![Machine.Key]![c.Key]!["sparse_faster"]);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Given_two_caches_adding_on_one_file_Then_the_file_keeps_both_entries()
    {
        using var dir = new TempDir();
        var a = new KernelTimeCache(dir.Combine("kernel-times.json"), _ => { });
        var b = new KernelTimeCache(dir.Combine("kernel-times.json"), _ => { });
        var one = KernelCase.Of(new LinearShape(10, 20), 8, true, 0.5);
        var two = KernelCase.Of(new LinearShape(20, 10), 8, true, 0.5);
        Assert.Null(a.Find(Machine, one));   // both read the file before either writes
        Assert.Null(b.Find(Machine, two));
        a.Add(Machine, one, SparseFaster);
        b.Add(Machine, two, DenseFaster);    // re-reads under the lock: a's entry survives
        var read = new KernelTimeCache(dir.Combine("kernel-times.json"), _ => { });
        Assert.Equal(SparseFaster, read.Find(Machine, one));
        Assert.Equal(DenseFaster, read.Find(Machine, two));
    }

    [Theory]
    [InlineData("{ \"machines\": { \"cut sho")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    public void Given_a_cache_file_that_does_not_read_Then_it_is_ignored_with_one_warning_and_rewritten(string content)
    {
        using var dir = new TempDir();
        string path = dir.Combine("kernel-times.json");
        File.WriteAllText(path, content);
        var warnings = new List<string>();
        var cache = new KernelTimeCache(path, warnings.Add);
        var c = KernelCase.Of(new LinearShape(10, 20), 8, true, 0.5);
        Assert.Null(cache.Find(Machine, c));
        cache.Add(Machine, c, SparseFaster);                 // reads the file again under the lock: no second warning
        var warning = Assert.Single(warnings);
        Assert.StartsWith("warning: ignoring the kernel-times cache", warning);
        Assert.Contains(path, warning);
        Assert.Equal(SparseFaster, new KernelTimeCache(path, warnings.Add).Find(Machine, c));
        Assert.Single(warnings);
    }

    [Fact]
    public void Given_the_cache_variables_Then_the_file_lies_in_the_first_that_is_set()
    {
        string Under(params (string Name, string Value)[] set) =>
            KernelTimeCache.DefaultPath(name => set.FirstOrDefault(v => v.Name == name).Value, "/home/u");
        Assert.Equal("/own/kernel-times.json", Under(("SPARSELAB_CACHE_DIR", "/own"), ("XDG_CACHE_HOME", "/xdg")));
        Assert.Equal("/xdg/sparselab/kernel-times.json", Under(("XDG_CACHE_HOME", "/xdg")));
        Assert.Equal("/home/u/.cache/sparselab/kernel-times.json", Under(("SPARSELAB_CACHE_DIR", "")));
    }

    [Fact]
    public void Given_a_seeded_cache_Then_auto_takes_the_faster_kernels_per_layer_without_measuring()
    {
        using var dir = new TempDir();
        using var model = Model("mlp", Mnist);
        using var mask = MaskOf(model, 0.1, "fc1", "fc2", "fc3");
        var cache = new KernelTimeCache(dir.Combine("kernel-times.json"), _ => { });
        double Density(string layer) => mask.Layers.Single(l => l.Name == layer + ".weight").Density;
        cache.Add(Machine, CaseOf(model, Mnist, "fc1", 64, Density("fc1")), SparseFaster);
        cache.Add(Machine, CaseOf(model, Mnist, "fc2", 64, Density("fc2")), DenseFaster);
        cache.Add(Machine, CaseOf(model, Mnist, "fc3", 64, Density("fc3")), new StepTimes(1.0, 0.96, DateTimeOffset.UnixEpoch));   // under 5 % faster

        var auto = new MeasuredKernels(model, Mnist, 64, cache, Machine, _ => throw new InvalidOperationException("measured"));
        var plan = KernelPlan.Choose("auto", model, mask, null, torch.CPU, auto: auto).ToDictionary(l => l.Layer);

        Assert.Equal(("sparse", "cached", 2.0, 1.0), (plan["fc1.weight"].Kernels, plan["fc1.weight"].Timing, plan["fc1.weight"].DenseMs, plan["fc1.weight"].SparseMs));
        Assert.Equal(("dense", "cached"), (plan["fc2.weight"].Kernels, plan["fc2.weight"].Timing));
        Assert.Equal("its sparse step is not 5 % faster than dense", plan["fc2.weight"].Reason);
        Assert.Equal("dense", plan["fc3.weight"].Kernels);
        Assert.StartsWith($"fc1.weight sparse (density {Density("fc1"):0.###}, 1 ms vs dense 2 ms, cached), fc2.weight dense (density",
            KernelPlan.Describe([.. plan.Values]));
    }

    [Fact]
    public void Given_an_empty_cache_Then_auto_measures_each_case_once_records_it_and_the_next_run_reads_it()
    {
        using var dir = new TempDir();
        using var model = Model("mlp", Mnist);
        using var mask = MaskOf(model, 0.1, "fc1", "fc2");
        var measured = new List<KernelCase>();
        StepTimes Fake(KernelCase c)
        {
            measured.Add(c);
            return c.Shape == new LinearShape(300, 784) ? SparseFaster : DenseFaster;
        }
        string path = dir.Combine("kernel-times.json");

        var first = KernelPlan.Choose("auto", model, mask, null, torch.CPU,
            auto: new MeasuredKernels(model, Mnist, 32, new KernelTimeCache(path, _ => { }), Machine, Fake));
        Assert.Equal(2, measured.Count);
        Assert.All(first, l => Assert.Equal("measured", l.Timing));
        Assert.Equal(["sparse", "dense"], first.Select(l => l.Kernels));
        Assert.Contains("fc1.weight sparse (density", KernelPlan.Describe(first));
        Assert.Contains("1 ms vs dense 2 ms, measured)", KernelPlan.Describe(first));

        var second = KernelPlan.Choose("auto", model, mask, null, torch.CPU,
            auto: new MeasuredKernels(model, Mnist, 32, new KernelTimeCache(path, _ => { }), Machine, Fake));
        Assert.Equal(2, measured.Count);                                             // nothing measured again
        Assert.Equal(first.Select(l => l with { Timing = "cached" }), second);
    }

    [Fact]
    public void Given_the_probe_Then_it_times_both_kernels_and_leaves_the_global_generator_as_it_was()
    {
        torch.manual_seed(7);
        var expected = torch.rand(5);
        torch.manual_seed(7);
        var linear = KernelProbe.Measure(KernelCase.Of(new LinearShape(12, 20), 4, false, 0.3));
        var conv = KernelProbe.Measure(KernelCase.Of(new Conv2dShape(2, 3, 3, 3, 2, 2, 1, 1, 7, 7), 2, true, 0.5));
        Assert.True(torch.rand(5).eq(expected).all().item<bool>());
        Assert.True(linear is { DenseMs: > 0, SparseMs: > 0 } && conv is { DenseMs: > 0, SparseMs: > 0 }, $"{linear} {conv}");
    }

    private sealed class Recording(List<string> messages) : ITrainingObserver
    {
        public void Message(string text) => messages.Add(text);
    }

    /// <summary>Fails the run at the end of epoch 2, before its checkpoint: the last checkpoint is epoch 1's.</summary>
    private sealed class Interrupt : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
        {
            if (metrics.Epoch == 2) throw new SparseLabException("interrupted");
        }
    }

    /// <summary>Runs <paramref name="work"/> with the kernel-times cache in <paramref name="dir"/> (tests run one at a time).</summary>
    private static T WithCacheIn<T>(string dir, Func<T> work)
    {
        string? previous = Environment.GetEnvironmentVariable("SPARSELAB_CACHE_DIR");
        Environment.SetEnvironmentVariable("SPARSELAB_CACHE_DIR", dir);
        try
        {
            return work();
        }
        finally
        {
            Environment.SetEnvironmentVariable("SPARSELAB_CACHE_DIR", previous);
        }
    }

    /// <summary>Every cached entry's verdict reversed: the faster kernel made the slower one.</summary>
    private static void Flip(string cacheFile)
    {
        var doc = JsonNode.Parse(File.ReadAllText(cacheFile))!;
        foreach (var (_, cases) in doc["machines"]!.AsObject())
            foreach (var (_, times) in cases!.AsObject())
            {
                bool sparse = (double)times!["sparse_ms"]! <= (1 - StepTimes.Margin) * (double)times["dense_ms"]!;
                (times["dense_ms"], times["sparse_ms"]) = sparse ? (1.0, 2.0) : (2.0, 1.0);
            }
        File.WriteAllText(cacheFile, doc.ToJsonString());
    }

    private static Dictionary<string, string> Kernels(RunFolder run) => run.ReadKernels().ToDictionary(l => l.Layer, l => l.Kernels);

    [Fact]
    public void Given_a_resumed_auto_run_Then_it_keeps_the_kernels_its_config_recorded_though_the_cache_now_says_otherwise()
    {
        using var dir = new TempDir();
        // 256 / 64 = 4 steps per epoch, 3 epochs; the run stops after epoch 1's checkpoint.
        var config = new TrainConfig
        {
            Data = new() { Dataset = "synthetic", LimitTrain = 256, LimitTest = 64 },
            Model = new() { Name = "mlp" },
            Optimization = new() { Epochs = 3, BatchSize = 64 },
            Sparsity = new() { Target = 0.9, Budget = "erk", Criterion = "magnitude" },
            Runtime = new() { Threads = 1 },
            Seed = 4,
        };
        string cache = dir.Combine("cache");
        var messages = new List<string>();
        var broken = new RunFolder(dir.Combine("broken"));
        WithCacheIn(cache, () => Assert.Throws<SparseLabException>(() =>
            TrainingRun.Execute(config, broken.Path, resume: false, new Recording(messages), [new Interrupt()])));
        var started = Kernels(broken);
        Assert.Equal(["fc1.weight", "fc2.weight", "fc3.weight"], started.Keys.Order());
        Assert.All(broken.ReadKernels(), l => Assert.Equal("measured", l.Timing));
        Assert.Contains(messages, m => m.StartsWith("kernels (auto): fc1.weight ", StringComparison.Ordinal) && m.Contains("measured)"));

        Flip(Path.Combine(cache, KernelTimeCache.FileName));
        messages.Clear();
        var resumed = WithCacheIn(cache, () => TrainingRun.Execute(config, broken.Path, resume: true, new Recording(messages)));
        Assert.Equal(12, resumed.Summary.Steps);
        Assert.Equal(started, Kernels(broken));
        Assert.Contains(messages, m => m.StartsWith("kernels (auto, kept from config.json): fc1.weight ", StringComparison.Ordinal));

        var fresh = WithCacheIn(cache, () => TrainingRun.Execute(config, dir.Combine("fresh"), resume: false, new Recording([])));
        Assert.All(Kernels(fresh.Run), l => Assert.NotEqual(started[l.Key], l.Value));   // a new run reads the flipped times
        Assert.All(fresh.Run.ReadKernels(), l => Assert.Equal("cached", l.Timing));
    }

    [Fact]
    public void Given_a_config_json_from_before_timing_Then_its_kernels_read_and_a_resumed_run_keeps_them()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path);
        File.WriteAllText(dir.Combine("config.json"), """
            { "config": {}, "kernels": [
              { "layer": "fc1.weight", "kernels": "sparse", "density": 0.1 },
              { "layer": "fc3.weight", "kernels": "dense", "density": 0.1, "reason": "smaller than 100000 weights" } ] }
            """);
        var recorded = new RunFolder(dir.Path).ReadKernels();
        Assert.Equal(new LayerKernel("fc1.weight", "sparse", 0.1, null), recorded[0]);

        using var model = Model("mlp", Mnist);
        using var mask = MaskOf(model, 0.1, "fc1", "fc2", "fc3");
        var plan = KernelPlan.Choose("auto", model, mask, null, torch.CPU, auto: new RecordedKernels(recorded));
        Assert.Equal(["sparse", "dense", "dense"], plan.Select(l => l.Kernels));
        Assert.Equal("the resumed run's config.json records no kernels for it", plan[1].Reason);
        Assert.Equal("smaller than 100000 weights", plan[2].Reason);
    }

    [Fact]
    public void Given_bench_train_on_auto_Then_it_times_the_layers_prints_the_choice_and_one_line()
    {
        using var dir = new TempDir();
        var r = WithCacheIn(dir.Path, () => CliRunner.Run("bench", "train", "--models", "mlp", "--sparsity", "0.9", "--kernels", "auto",
            "--batch-size", "16", "--steps", "1", "--warmup", "0", "--threads", "1"));
        Assert.True(r.ExitCode == 0, r.Err);
        var line = JsonNode.Parse(Assert.Single(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal("auto", (string?)line["kernels"]);
        Assert.Contains("mlp: kernels (auto): fc1.weight ", r.Err);
        Assert.Contains("measured)", r.Err);
        Assert.True(File.Exists(dir.Combine(KernelTimeCache.FileName)));
    }
}
