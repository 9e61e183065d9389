// An option given where it would be ignored (issue 24: --momentum with Adam,
// --gamma with a cosine schedule, a study's --prune-rate without imp) is one
// `error:` line naming it and what it needs, exit 2, nothing written; the
// same option with what it needs binds; defaults and the settings a preset or
// a task's recipe fills in never trip it. The refusals come from the
// declarations ([Option(Requires = ...)]), checked once for every command.
using SparseLab.Cli;
using SparseLab.Cli.Commands;
using SparseLab.Foundations;

namespace SparseLab.Tests.Cli;

public sealed class OptionDependencyTests
{
    private static void AssertRefused(CliResult r, string error, string? outDir)
    {
        Assert.Equal(2, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.Err);
        Assert.StartsWith($"error: {error}", lines[0]);
        Assert.Equal("", r.Out);
        if (outDir is not null) Assert.False(Directory.Exists(outDir) || File.Exists(outDir), "something was written before the error");
    }

    [Theory]
    [InlineData("train --optimizer adam --momentum 0.5", "--momentum needs --optimizer sgd (it is adam)")]
    [InlineData("train --optimizer adamw --nesterov", "--nesterov needs --optimizer sgd (it is adamw)")]
    [InlineData("train --beta2 0.99", "--beta2 needs --optimizer adam or adamw (it is sgd)")]
    [InlineData("train --gamma 0.5", "--gamma needs --lr-schedule step (it is cosine)")]
    [InlineData("train --sparsity 0.9 --schedule rigl --initial-sparsity 0.2", "--initial-sparsity needs --schedule gmp (it is rigl)")]
    [InlineData("train --drop-fraction 0.2", "--drop-fraction needs --schedule set or rigl (it is none)")]
    [InlineData("train --update-end 0.5", "--update-end needs --schedule gmp, set or rigl (it is none)")]
    [InlineData("train --update-every 50", "--update-every needs --schedule gmp, set or rigl (it is none)")]
    [InlineData("train --curriculum-reference init", "--curriculum-reference needs --curriculum (it is not given)")]
    [InlineData("train --pacing-a 0.3", "--pacing-a needs --curriculum (it is not given)")]
    [InlineData("train --curriculum random --pacing fixed-exp --pacing-a 0.3", "--pacing-a needs --pacing other than fixed-exp (it is fixed-exp)")]
    [InlineData("train --curriculum fisher-true --pacing-sp 0.1", "--pacing-sp needs --pacing fixed-exp (it is not given)")]
    [InlineData("train --curriculum loss --score-runs 3", "--score-runs needs --curriculum el2n (it is loss)")]
    [InlineData("train --noise-seed 2", "--noise-seed needs --label-noise above 0 (it is 0)")]
    [InlineData("train --fisher-samples 64", "--fisher-samples needs --fisher-every (it is not given)")]
    [InlineData("train --fisher-method naive", "--fisher-method needs --fisher-every (it is not given)")]
    [InlineData("train --keep-first-dense", "--keep-first-dense needs --sparsity above 0 or --mask-from (--sparsity is 0, --mask-from is not given)")]
    [InlineData("train --keep-last-dense", "--keep-last-dense needs --sparsity above 0 or --mask-from")]
    [InlineData("train --model gpt --momentum 0.5", "--momentum needs --optimizer sgd (it is adamw)")]   // the language-model recipe's optimizer
    public void Given_a_train_option_without_what_it_needs_Then_it_is_refused_naming_both(string args, string error)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("run");
        AssertRefused(CliRunner.Run([.. args.Split(' '), "--out", outDir]), error, outDir);
    }

    [Theory]
    [InlineData("study gap --prune-rate 0.5", "--prune-rate needs imp in --methods (it is finetune,scratch,lottery)")]
    [InlineData("study gap --rewind 1ep", "--rewind needs imp in --methods")]
    [InlineData("study gap --no-fisher --fisher-samples 64", "--fisher-samples needs --fisher-every or no --no-fisher (--fisher-every is not given, --no-fisher is given)")]
    [InlineData("study gap --no-curvature --curvature-samples 64", "--curvature-samples needs the solutions probed (--no-curvature is given)")]
    [InlineData("study gap --points 0 --path-train 100", "--path-train needs --points above 0 (it is 0)")]
    [InlineData("study gap --pacing linear", "--pacing needs a curriculum arm in --methods: curriculum, anti-curriculum, random-pacing or el2n-curriculum (--methods is finetune,scratch,lottery)")]
    [InlineData("study gap --el2n-reference warmup:2", "--el2n-reference needs el2n-curriculum in --methods")]
    [InlineData("study gap --drop-fraction 0.2", "--drop-fraction needs set or rigl in --methods (it is finetune,scratch,lottery)")]
    [InlineData("study gap --methods finetune,scratch,set --initial-sparsity 0.1", "--initial-sparsity needs gmp in --methods")]
    [InlineData("study curriculum --methods finetune,scratch,curriculum --score-runs 5", "--score-runs needs --curriculum el2n or el2n-curriculum in --methods")]
    [InlineData("study curriculum --pacing-inc 2", "--pacing-inc needs --pacing fixed-exp (it is linear)")]
    [InlineData("study sweep --methods finetune,scratch --pacing-a 0.3", "--pacing-a needs a curriculum arm in --methods")]
    public void Given_a_study_option_without_what_it_needs_Then_it_is_refused_naming_both(string args, string error)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("study");
        AssertRefused(CliRunner.Run([.. args.Split(' '), "--out", outDir]), error, outDir);
    }

    [Theory]
    [InlineData("oneshot --damp 0.05", "--damp needs --criterion sparsegpt (it is magnitude)")]
    [InlineData("oneshot --criterion nm:2:4 --column-block 64", "--column-block needs --criterion sparsegpt (it is nm:2:4)")]
    [InlineData("oneshot --criterion magnitude --sparsity 0.5 --calibration-examples 64", "--calibration-examples needs --criterion wanda or sparsegpt (it is magnitude)")]
    [InlineData("oneshot --sparsity 0.5 --finetune-lr 0.01", "--finetune-lr needs --finetune-steps above 0 (it is 0)")]
    [InlineData("fisher --kind true", "--kind needs --scores (it is not given)")]
    [InlineData("export --layout csr", "--layout needs --format sparse (it is safetensors)")]
    public void Given_an_option_of_a_command_on_a_saved_run_without_what_it_needs_Then_it_is_refused_before_the_run_is_read(string args, string error)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("out");
        AssertRefused(CliRunner.Run([.. args.Split(' '), "--run", dir.Combine("no-such-run"), "--out", outDir]), error, outDir);
    }

    [Theory]
    [InlineData("inspect --model mlp --checkpoint init", "--checkpoint needs --run (it is not given)")]
    [InlineData("inspect --noise-seed 3", "--noise-seed does not apply to `sparselab inspect`: inspect reads no data")]
    [InlineData("prune --run r --prune-embeddings", "--prune-embeddings does not apply to `sparselab prune`")]
    [InlineData("bench train --models mlp --kernels sparse", "--kernels needs --sparsity above 0 (it is 0)")]
    [InlineData("bench infer --model-file m.safetensors --sparsity 0.5", "--sparsity needs --model (it is not given)")]
    [InlineData("bench infer --model gpt --batch-sizes 1,2", "--batch-sizes needs --model-file (it is not given)")]
    [InlineData("bench infer --model-file m.safetensors --run r", "--run needs --model (it is not given)")]
    public void Given_an_inspect_prune_or_bench_option_without_what_it_needs_Then_it_is_refused(string args, string error) =>
        AssertRefused(CliRunner.Run(args.Split(' ')), error, null);

    [Fact]
    public void Given_the_option_in_a_config_file_Then_the_error_names_its_key_and_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("c.yaml"), "optimizer: adam\nmomentum: 0.5\n");
        var r = CliRunner.Run("train", "--config", dir.Combine("c.yaml"), "--out", dir.Combine("run"));
        AssertRefused(r, "momentum in '", dir.Combine("run"));
        Assert.Contains("(line 2) needs optimizer in '", r.Err);
        Assert.Contains("sgd (it is adam)", r.Err);
    }

    public static TheoryData<string, string> Accepted => new()
    {
        { "train", "--optimizer adam --beta1 0.8 --beta2 0.99" },
        { "train", "--momentum 0.8 --nesterov" },
        { "train", "--lr-schedule step --milestones 0.5 --gamma 0.2" },
        { "train", "--sparsity 0.9 --schedule gmp --initial-sparsity 0.2 --update-every 50 --update-start 10 --update-end 0.5" },
        { "train", "--sparsity 0.9 --schedule rigl --drop-fraction 0.2" },
        { "train", "--curriculum fisher-true --curriculum-reference init --pacing-a 0.3 --pacing-b 0.1" },
        { "train", "--curriculum random --pacing fixed-exp --pacing-sp 0.1 --pacing-inc 2 --pacing-step 50" },
        { "train", "--curriculum el2n --score-runs 2" },
        { "train", "--label-noise 0.2 --noise-seed 3" },
        { "train", "--fisher-every 10 --fisher-samples 64 --fisher-method naive" },
        { "train", "--sparsity 0.9 --keep-first-dense --keep-last-dense" },
        { "train", "--mask-from m.safetensors --keep-last-dense" },
        { "train", "--model gpt --beta2 0.95" },                                  // the recipe's AdamW, though sgd is the default
        { "imp", "--targets 0.9 --keep-last-dense --prune-rate 0.5 --rewind 1ep" },  // imp prunes: the sparsity is its own
        { "study gap", "--methods finetune,scratch,imp --prune-rate 0.5 --rewind 1ep" },
        { "study gap", "--methods finetune,scratch,gmp,rigl --drop-fraction 0.2 --initial-sparsity 0.1 --update-every 10" },
        { "study gap", "--fisher-samples 64 --curvature-samples 64 --points 5 --path-train 100 --path-test 100 --bn copy" },
        { "study gap", "--no-fisher --fisher-every 5 --fisher-samples 64" },
        { "study gap", "--methods finetune,scratch,curriculum --curriculum loss --pacing quad --pacing-a 0.3 --curriculum-reference warmup:1" },
        { "study gap", "--keep-last-dense" },                                      // the study prunes at every sparsity
        { "study gap", "--preset paper --gamma 0.2" },                            // the preset's step schedule
        { "study curriculum", "--score-runs 2 --el2n-reference warmup:2 --pacing fixed-exp --pacing-sp 0.1" },
        { "study sweep", "--pacing-a 0.3 --score-runs 2" },
        { "oneshot", "--criterion sparsegpt --damp 0.05 --column-block 64 --calibration-examples 64" },
        { "oneshot", "--criterion sparsegpt:2:4 --damp 0.05" },
        { "oneshot", "--criterion wanda:2:4 --calibration-tokens 1024" },
        { "oneshot", "--sparsity 0.5 --finetune-steps 10 --finetune-lr 0.01" },
        { "fisher", "--scores s.csv --kind true" },
        { "inspect", "--run r --checkpoint init" },
        { "export", "--format sparse --layout csr" },
        { "bench train", "--sparsity 0.9 --kernels sparse" },
        { "bench infer", "--model gpt --sparsity 0.5 --tokens 16 --run r" },
        { "bench infer", "--model-file m.safetensors --batch-sizes 1,2" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Given_an_option_with_what_it_needs_Then_it_binds(string command, string args)
    {
        var cli = (dynamic)CommandTree.Commands.Single(c => c.Path == command);
        cli.Resolve(args.Split(' '));   // binds, completes and checks, runs nothing; throws a ConfigError if refused
    }

    [Fact]
    public void Given_every_command_with_its_defaults_Then_no_requirement_trips()
    {
        foreach (var command in CommandTree.Commands)
            ((dynamic)command).Resolve(Array.Empty<string>());
    }

    [Fact]
    public void Given_the_commands_that_build_their_studies_in_code_Then_their_options_bind()
    {
        new DemoCommand().Resolve("--threads", "1", "--out", "runs/demo");
        new StudyClaimsCommand().Resolve("--quick", "--claims", "C1");
    }

    [Fact]
    public void Given_help_Then_an_option_says_what_it_needs_in_this_commands_flags()
    {
        var train = new TrainCommand().OptionSet;
        Assert.Equal("SGD momentum. Default: 0.9. Needs --optimizer sgd.", train.Help(train.ByFlag("--momentum")!));
        Assert.EndsWith("Needs --curriculum, and --pacing other than fixed-exp.", train.Help(train.ByFlag("--pacing-a")!));
        var study = new StudyGapCommand().OptionSet;
        string drop = study.Help(study.ByFlag("--drop-fraction")!);
        Assert.EndsWith("Needs set or rigl in --methods.", drop);         // the study's schedules are methods: it has no --schedule
        Assert.DoesNotContain("--schedule", drop);
        Assert.EndsWith("Needs imp in --methods.", study.Help(study.ByFlag("--prune-rate")!));
        Assert.DoesNotContain("Needs", study.Help(study.ByFlag("--keep-last-dense")!));   // the study sets --sparsity itself
    }

    [Fact]
    public void Given_a_refused_option_Then_the_library_error_names_the_field_by_its_path()
    {
        var e = Assert.Throws<ConfigError>(() => new TrainCommand().Resolve("--optimizer", "adam", "--momentum", "0.5"));
        Assert.Equal(new[] { "Train.Optimization.Momentum", "Train.Optimization.Optimizer" }, e.Fields);
    }
}
