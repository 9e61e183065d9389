// The gap study end to end on tiny synthetic data: the planned rows, paths,
// regimes and report; resuming after a kill without redoing finished runs;
// refusing bad lists and a folder written by another config.
using System.Diagnostics;
using System.Text.Json.Nodes;
using SparseLab.Foundations;
using SparseLab.Studies;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Studies;

[Trait("Category", "Slow")]
public sealed class GapStudyTests
{
    private static string[] Args(string outDir) =>
        ["study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.5,0.9", "--seeds", "2", "--epochs", "1",
         "--limit-train", "256", "--limit-test", "64", "--batch-size", "64", "--points", "5", "--path-train", "128", "--path-test", "64",
         "--threads", "1", "--fisher-samples", "64", "--curvature-samples", "64", "--out", outDir];

    [Fact]
    public void Given_a_tiny_study_Then_study_json_has_every_row_path_and_regime_and_the_report_embeds_figures()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        var r = CliRunner.Run(Args(outDir));
        Assert.True(r.ExitCode == 0, r.Err);

        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!;
        var rows = study["rows"]!.AsArray();
        Assert.Equal(2 * (1 + 2 * 3), rows.Count);                                       // seeds × (dense + sparsities × (finetune, scratch, lottery))
        Assert.Equal(4, rows.Count(x => (string?)x!["method"] == "lottery"));
        Assert.Equal(2, rows.Count(x => (string?)x!["method"] == "dense"));
        foreach (var row in rows.Where(x => (string?)x!["method"] != "dense"))
            Assert.InRange((double)row!["measured_sparsity"]!, (double)row["sparsity"]! - 0.001, (double)row["sparsity"]! + 0.001);
        var paths = study["paths"]!.AsArray();
        Assert.Equal(2 * 2 * 3, paths.Count);
        Assert.All(paths, p => Assert.Equal(5, p!["alpha"]!.AsArray().Count));
        Assert.Contains(paths, p => (string?)p!["from"] == "init-s" && (string?)p["to"] == "sol-f");
        Assert.Equal(2, study["regimes"]!.AsArray().Count);
        Assert.All(study["regimes"]!.AsArray(), x => Assert.Contains((string?)x!["regime"], new[] { "generalization", "optimization", "undetermined" }));

        var fisher = study["fisher"]!.AsArray();
        Assert.Equal(14, fisher.Count);                                                  // one series per run
        Assert.All(fisher, f => Assert.Equal([0, 1], f!["epoch"]!.AsArray().Select(e => (int)e!)));   // the init and 1 epoch
        var probes = study["curvature"]!.AsArray();
        Assert.Equal(2 * (1 + 2 * 3), probes.Count);                                     // per seed Sol-D, and Sol-F, Sol-S and lottery per sparsity
        Assert.All(probes, p => Assert.True((double)p!["fisher_trace"]! > 0 && (double)p["prediction_entropy"]! > 0));
        Assert.All(probes, p => Assert.Equal(64, (int)p!["samples"]!));
        Assert.True(File.Exists(Path.Combine(outDir, "curvature", "dense-s0-seed1-n64-m1.json")));   // the cache name holds the sample counts
        var ratios = study["solution_ratios"]!.AsArray();
        Assert.Contains(ratios, x => (string?)x!["method"] == "scratch" && (string?)x["metric"] == "fisher_trace" && (double)x["sparsity"]! == 0.9);
        Assert.Contains(ratios, x => (string?)x!["method"] == "dense" && (string?)x["metric"] == "prediction_entropy");
        Assert.True(File.Exists(Path.Combine(outDir, "figures", "fisher_s0.9.png")));

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("Fisher information during training", html);
        Assert.Contains("Curvature of the solutions", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(outDir, "figures"), "*.png"));
        Assert.Equal(2 * 2, study["fisher_gaps"]!.AsArray().Count);                      // per sparsity and epoch (0 and 1), paired over 2 seeds

        AssertTheScientificInvariants(outDir, [0.5, 0.9], [1, 2]);
    }

    /// <summary>
    /// The same mask across arms, and each arm's init as the seed defines it: lottery's is Init-D ⊙ M bit for bit;
    /// scratch's is a fresh draw of the same init family (the seed's sparse-scratch calls init_network again) ⊙ M,
    /// bit for bit the model built from seed + 1,000,000, and not Init-D ⊙ M.
    /// </summary>
    internal static void AssertTheScientificInvariants(string outDir, double[] sparsities, int[] seeds)
    {
        foreach (double s in sparsities)
            foreach (int seed in seeds)
            {
                string? Run(string label) => Directory.GetDirectories(Path.Combine(outDir, "runs"), label + "-*").SingleOrDefault();
                string dense = Run($"dense-seed{seed}")!, scratch = Run($"scratch-s{s}-seed{seed}")!, finetune = Run($"finetune-s{s}-seed{seed}")!;
                string? lottery = Run($"lottery-s{s}-seed{seed}");
                string solution = Path.Combine(outDir, "masks", $"solution-s{s}-seed{seed}.safetensors");
                using var m = SparseLab.Sparsity.Mask.Load(solution);
                foreach (var run in new[] { scratch, finetune, lottery }.OfType<string>())
                {
                    using var used = SparseLab.Sparsity.Mask.Load(Path.Combine(run, "mask.safetensors"));
                    Assert.Equal(m.Names, used.Names);
                    foreach (var name in m.Names) Assert.True(m[name].eq(used[name]).all().item<bool>(), $"{run} trained with another mask than M at {name}");
                }
                using var initD = SparseLab.Training.SavedRun.Open(dense, "init");
                var d = initD.Model.state_dict();
                if (lottery is not null)
                {
                    using var initL = SparseLab.Training.SavedRun.Open(lottery, "init");
                    foreach (var (name, w) in initL.Model.state_dict())
                    {
                        var expected = m.Contains(name) ? d[name] * m[name] : d[name];
                        Assert.True(w.eq(expected).all().item<bool>(), $"lottery's init differs from Init-D ⊙ M at {name} (s={s}, seed {seed})");
                    }
                }
                using var initS = SparseLab.Training.SavedRun.Open(scratch, "init");
                TorchSharp.torch.manual_seed(seed + 1_000_000);
                var fresh = SparseLab.Models.ModelRegistry.Create(initD.Spec).state_dict();
                bool differsFromInitD = false;
                foreach (var (name, w) in initS.Model.state_dict())
                {
                    if (!name.EndsWith("weight") && !name.EndsWith("bias")) continue;   // BatchNorm buffers start the same
                    var expected = m.Contains(name) ? fresh[name] * m[name] : fresh[name];
                    Assert.True(w.eq(expected).all().item<bool>(), $"scratch's Init-S is not a fresh init ⊙ M at {name} (s={s}, seed {seed})");
                    differsFromInitD |= m.Contains(name) && !w.eq(d[name] * m[name]).all().item<bool>();
                }
                Assert.True(differsFromInitD, $"scratch's Init-S equals Init-D ⊙ M (s={s}, seed {seed}): that is the lottery arm");
            }
    }

    [Fact]
    public void Given_a_study_killed_mid_way_When_rerun_Then_finished_runs_are_not_redone()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        string? denseSummary;
        // The first scratch run pauses after its second step (dense-seed1 and the finetune runs before it finished) and is killed there.
        using (var p = SparseLab.Tests.Cli.KillAndResumeTests.StartCli(Args(outDir), pauseAt: "2:scratch"))
        {
            Assert.True(p.Paused.Wait(TimeSpan.FromSeconds(120)), "the study never reached its first scratch run");
            denseSummary = Directory.GetDirectories(Path.Combine(outDir, "runs"), "dense-seed1-*").Select(d => Path.Combine(d, "summary.json")).Single(File.Exists);
            p.Process.Kill(entireProcessTree: true);
            p.Process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(outDir, "study.json")));
        var written = File.GetLastWriteTimeUtc(denseSummary!);

        var r = CliRunner.Run(Args(outDir));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(written, File.GetLastWriteTimeUtc(denseSummary!));                 // not redone
        Assert.Contains("dense-seed1: finished earlier, skipped", r.Out);
        Assert.Equal(14, JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!["rows"]!.AsArray().Count);   // 2 × (dense + 2 × 3 arms)
    }

    [Fact]
    public void Given_a_folder_written_by_another_config_Then_the_study_refuses_and_overwrites_nothing()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "study-config.json"), "{\"study\":\"gap\",\"canonical\":\"something else\"}");
        var r = CliRunner.Run(Args(outDir));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("different config", r.Err);
        Assert.Contains("delete the folder", r.Err);
        Assert.Single(Directory.GetFileSystemEntries(outDir));
    }

    [Theory]
    [InlineData("--sparsities", "0.5,0.5", "more than once")]
    [InlineData("--sparsities", "0.5,1.0", "outside (0, 1)")]
    [InlineData("--sparsities", "0,0.5", "outside (0, 1)")]
    [InlineData("--seeds", "0", "--seeds")]
    [InlineData("--methods", "finetune,scratch,oracle", "oracle")]
    [InlineData("--scratch-init", "zeros", "zeros")]
    [InlineData("--criterion", "nm:2:4", "--sparsities 0.9 cannot be reached by --criterion nm:2:4, which keeps 2 of every 4 weights (sparsity 0.5)")]   // rows named 0.9 held 0.5 runs
    public void Given_bad_study_options_Then_exit_2_and_no_folder(string option, string value, string mentions)
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        var args = Args(outDir).ToList();
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else args.AddRange([option, value]);
        var r = CliRunner.Run([.. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mentions, r.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Given_the_demo_settings_Then_they_are_the_setting_the_README_describes_and_a_valid_study()
    {
        var demo = SparseLab.Studies.StudyKinds.Demo();
        demo.Validate();
        // README "The demo": mlp with PyTorch's default init on the first 3,000 Fashion-MNIST images, 30 epochs, 3 seeds,
        // global magnitude at 0.9, 0.99 and 0.995; finetune, scratch (a fresh init), lottery, fisher-early and random-early.
        Assert.Equal(("fashion-mnist", 3_000L), (demo.Train.Data.Dataset, demo.Train.Data.LimitTrain!.Value));
        Assert.Equal(("mlp", "pytorch-default"), (demo.Train.Model.Name, demo.Train.Model.Init));
        Assert.Equal((30, 3), (demo.Train.Optimization.Epochs, demo.Seeds));
        Assert.Equal([0.9, 0.99, 0.995], demo.Sparsities);
        Assert.Equal(("magnitude", "global", "reinit"), (demo.Criterion, demo.Budget, demo.ScratchInit));
        Assert.Equal(["finetune", "scratch", "lottery", "fisher-early", "random-early"], demo.Methods);
        Assert.Equal(0.1, demo.Early.Steps.Value);
        Assert.Equal(4, demo.Early.PoolFactor);
    }

    [Fact]
    public void Given_label_noise_Then_study_json_tabulates_memorization_per_arm_and_counts_stalls()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        var args = Args(outDir).ToList();
        args[args.IndexOf("--sparsities") + 1] = "0.9";
        foreach (var unused in new[] { "--fisher-samples", "--curvature-samples", "--path-train", "--path-test" })   // refused without what they need
            args.RemoveRange(args.IndexOf(unused), 2);
        args.AddRange(["--label-noise", "0.25", "--no-curvature", "--no-fisher"]);
        args[args.IndexOf("--points") + 1] = "0";
        var r = CliRunner.Run([.. args]);
        Assert.True(r.ExitCode == 0, r.Err);

        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!;
        Assert.All(study["rows"]!.AsArray(), x => Assert.True((double)x!["generalized_fraction"]! + (double)x["memorized_fraction"]! <= 1));
        var memorization = study["memorization"]!.AsArray();
        Assert.Equal(4 * 4, memorization.Count);                                         // dense, finetune, scratch, lottery × 4 metrics
        Assert.Contains(memorization, x => (string?)x!["method"] == "dense" && (string?)x["metric"] == "generalized_fraction" && x["gap_vs_finetune"] is not null);
        Assert.All(memorization, x => Assert.NotNull(x!["value"]!["median"]));
        Assert.Equal(4, study["stalls"]!.AsArray().Count);                               // dense at 0, finetune, scratch and lottery at 0.9
        Assert.Contains("ln 10", (string?)study["config"]!["stall_rule"]);
        Assert.Equal(4, study["stall_tests"]!.AsArray().Count);                          // finetune and lottery against scratch; finetune and scratch against lottery
        Assert.NotNull(study["cells"]![0]!["test_accuracy"]!["median"]);
        Assert.Contains("Label noise: memorization", File.ReadAllText(Path.Combine(outDir, "report.md")));
    }
}
