// The config records are the one declaration of every option: every settable
// field carries [Option] (or is a nested record), every registry a field names
// exists, library errors name the record and field, and config.json reads
// back both as written now and as written before the split by concept.
using System.Reflection;
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Tests.Cli;
using SparseLab.Training;

namespace SparseLab.Tests.Foundations;

public sealed class ConfigSchemaTests
{
    public static TheoryData<string> Records =>
        [.. typeof(TrainConfig).Assembly.GetTypes().Concat(typeof(SparseLab.Cli.CliApp).Assembly.GetTypes())
            .Where(t => typeof(IConfigRecord).IsAssignableFrom(t) && !t.IsInterface).Select(t => t.AssemblyQualifiedName!)];

    [Theory]
    [MemberData(nameof(Records))]
    public void Given_a_config_record_Then_every_settable_property_is_an_option_or_a_nested_record(string type)
    {
        var t = Type.GetType(type)!;
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != "EqualityContract"))
            Assert.True(p.GetCustomAttribute<OptionAttribute>() is not null || typeof(IConfigRecord).IsAssignableFrom(p.PropertyType)
                        || (t == typeof(SparseLab.Information.PathOptions) && p.Name == "Seed"),   // the run's seed, set by the caller
                $"{t.Name}.{p.Name} is neither an [Option] nor a nested record: it has no flag, no YAML key and no place in the hash");
    }

    [Fact]
    public void Given_every_option_that_names_a_registry_Then_the_registry_lists_its_names()
    {
        foreach (var f in ConfigSchema.Of<SparseLab.Studies.GapStudyConfig>().Fields.Concat(ConfigSchema.Of<TrainConfig>().Fields))
            if (f.Option.OneOf is { } registry) Assert.NotEmpty(NameSet.Of(registry));
    }

    [Fact]
    public void Given_a_bad_value_in_code_Then_the_library_error_names_the_record_and_field()
    {
        var c = new TrainConfig { Optimization = new() { Lr = -1 } };
        var e = Assert.Throws<ConfigError>(c.Validate);
        Assert.Equal("optimization.lr must be > 0, got -1", e.Message);
        var nesterov = new TrainConfig { Optimization = new() { Nesterov = true, Momentum = 0 } };
        Assert.Equal("optimization.nesterov needs optimization.momentum above 0", Assert.Throws<ConfigError>(nesterov.Validate).Message);
    }

    [Fact]
    public void Given_the_same_error_from_the_cli_Then_it_names_the_flag_or_the_config_key()
    {
        var r = CliRunner.Run("train", "--lr", "-1");
        Assert.Equal("error: --lr must be > 0, got -1", r.Err.Trim());
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("c.yaml"), "momentum: 0\nnesterov: true\n");
        r = CliRunner.Run("train", "--config", dir.Combine("c.yaml"));
        Assert.StartsWith("error: nesterov in '", r.Err);
        Assert.Contains("(line 2) needs momentum in '", r.Err);
    }

    [Fact]
    public void Given_a_config_When_written_and_read_Then_it_is_the_same_config()
    {
        var c = new TrainConfig
        {
            Data = new() { Dataset = "cifar10", LimitTrain = 500, LabelNoise = 0.2 },
            Optimization = new() { LrSchedule = "step", Milestones = [Duration.Fraction(0.5), Duration.Epochs(9)], Warmup = Duration.Steps(30) },
            Sparsity = new() { Target = 0.9, Criterion = "nm:1:2", Budget = "erk" },
            MaskSchedule = new() { UpdateEnd = Duration.Fraction(0.6) },
            Curriculum = new() { Score = "loss", PacingA = Duration.Epochs(2) },
            Seed = 4,
        };
        var back = ConfigJson.Read<TrainConfig>(JsonNode.Parse(ConfigJson.Write(c).ToJsonString())!);
        Assert.Equal(ConfigHash.Canonical(c), ConfigHash.Canonical(back));
        Assert.Equal(c.Optimization.Milestones, back.Optimization.Milestones);
        Assert.Equal(c.Data, back.Data);
    }

    [Fact]
    public void Given_a_flat_config_json_from_before_the_split_Then_it_reads_with_durations_in_their_old_units()
    {
        var flat = JsonNode.Parse("""
            { "dataset": "fashion-mnist", "model": "mlp", "epochs": 30, "lr": 0.05, "lr_schedule": "step", "milestones": [10, 20],
              "warmup_epochs": 1.5, "sparsity": 0.9, "update_every": 50, "pacing_a": 0.4, "pacing_step": 7, "limit_train": 3000,
              "fisher_every": "epoch", "threads": 2, "dynamic_mask": false, "pacing_options": { "name": "none" } }
            """)!;
        var c = ConfigJson.Read<TrainConfig>(flat);
        Assert.Equal(("mlp", 30, 0.9, 3000L), (c.Model.Name, c.Optimization.Epochs, c.Sparsity.Target, c.Data.LimitTrain!.Value));
        Assert.Equal([Duration.Epochs(10), Duration.Epochs(20)], c.Optimization.Milestones);
        Assert.Equal(Duration.Epochs(1.5), c.Optimization.Warmup);
        Assert.Equal(Duration.Steps(50), c.MaskSchedule.UpdateEvery);
        Assert.Equal(Duration.Fraction(0.4), c.Curriculum.PacingA);
        Assert.Equal(Duration.Steps(7), c.Curriculum.PacingStep);
        Assert.Equal(("epoch", 2), (c.Probes.FisherEvery, c.Runtime.Threads));
    }
}
