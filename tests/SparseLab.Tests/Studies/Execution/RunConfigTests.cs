// Run files: a local study writes every run's resolved config into configs/;
// `run-config FILE` runs one anywhere (making the masks it needs) into the
// same run folder the study would use, resumes a partial one, and reports a
// finished one; a run file keeps the config's hash through JSON.
using SparseLab.Foundations;
using SparseLab.Studies;
using SparseLab.Studies.Execution;
using SparseLab.Training;
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Studies.Execution;

[Trait("Category", "Slow")]
public sealed class RunConfigTests
{
    private static string[] Args(string outDir) =>
        ["study", "gap", "--dataset", "synthetic", "--model", "mlp", "--sparsities", "0.9", "--seeds", "1", "--epochs", "1",
         "--limit-train", "256", "--limit-test", "64", "--batch-size", "64", "--threads", "1", "--no-fisher", "--no-curvature", "--points", "0", "--out", outDir];

    [Fact]
    public void Given_a_local_study_Then_every_run_file_names_its_run_and_run_config_of_a_copy_makes_the_mask_and_trains_the_same_run()
    {
        using var dir = new TempDir();
        string outDir = dir.Combine("gap");
        var r = CliRunner.Run(Args(outDir));
        Assert.True(r.ExitCode == 0, r.Err);
        var files = Directory.GetFiles(Path.Combine(outDir, "configs"), "*.json").Select(Path.GetFileNameWithoutExtension).Order().ToList();
        Assert.Equal(["dense-seed1", "finetune-s0.9-seed1", "lottery-s0.9-seed1", "scratch-s0.9-seed1"], files);
        foreach (var f in files)
        {
            var spec = RunSpec.Read(Path.Combine(outDir, "configs", f + ".json"));
            Assert.True(File.Exists(Path.Combine(spec.ResolveDir(), "summary.json")), $"{f} names a folder that is not its run");
        }

        // The finished run is reported, not trained again.
        var again = CliRunner.Run(["run-config", Path.Combine(outDir, "configs", "scratch-s0.9-seed1.json")]);
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.Contains("this run had already finished", again.Out);

        // Without its mask and its run folder, the run file makes the mask from the dense run and trains the same numbers.
        var scratch = RunSpec.Read(Path.Combine(outDir, "configs", "scratch-s0.9-seed1.json"));
        string summary = File.ReadAllText(Path.Combine(scratch.ResolveDir(), "summary.json"));
        string mask = File.ReadAllText(scratch.Masks.Single().File);
        Directory.Delete(scratch.ResolveDir(), recursive: true);
        File.Delete(scratch.Masks.Single().File);
        var rerun = CliRunner.Run(["run-config", Path.Combine(outDir, "configs", "scratch-s0.9-seed1.json")]);
        Assert.True(rerun.ExitCode == 0, rerun.Err);
        Assert.Equal(mask, File.ReadAllText(scratch.Masks.Single().File));
        Assert.Equal(Without(summary, "wall_seconds"), Without(File.ReadAllText(Path.Combine(scratch.ResolveDir(), "summary.json")), "wall_seconds"));
    }

    [Fact]
    public void Given_a_copied_study_Then_run_config_of_its_file_trains_in_the_copy_and_an_older_file_is_refused()
    {
        using var dir = new TempDir();
        string original = dir.Combine("gap"), copy = dir.Combine("copy");
        var r = CliRunner.Run(Args(original));
        Assert.True(r.ExitCode == 0, r.Err);
        CopyFolder(original, copy);
        string file = Path.Combine(copy, "configs", "scratch-s0.9-seed1.json");
        var spec = RunSpec.Read(file);
        Assert.StartsWith(copy + Path.DirectorySeparatorChar, spec.ResolveDir());
        Assert.All(spec.Masks, m => Assert.StartsWith(copy + Path.DirectorySeparatorChar, m.File));
        string originalRun = RunSpec.Read(Path.Combine(original, "configs", "scratch-s0.9-seed1.json")).ResolveDir();
        Assert.Equal(Path.GetFileName(originalRun), Path.GetFileName(spec.ResolveDir()));

        // The copy's run, removed, is trained again in the copy; the original's is left as it was.
        string before = File.ReadAllText(Path.Combine(originalRun, "summary.json"));
        Directory.Delete(spec.ResolveDir(), recursive: true);
        var rerun = CliRunner.Run(["run-config", file]);
        Assert.True(rerun.ExitCode == 0, rerun.Err);
        Assert.True(File.Exists(Path.Combine(spec.ResolveDir(), "summary.json")));
        Assert.Equal(before, File.ReadAllText(Path.Combine(originalRun, "summary.json")));

        // A file that does not record where it was written, whose runs folder is another study's, is refused.
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(original, "configs", "scratch-s0.9-seed1.json")))!.AsObject();
        doc.Remove(StudyRelocation.WrittenInKey);
        File.WriteAllText(file, doc.ToJsonString());
        var foreign = CliRunner.Run(["run-config", file]);
        Assert.Equal(1, foreign.ExitCode);
        Assert.StartsWith($"error: the run file '{file}' trains into {Path.Combine(original, "runs")}, the runs folder of another study", foreign.Err);
    }

    [Theory]
    [InlineData("/a/study/configs", "/b/copy/configs", "/a/study", "/b/copy")]
    [InlineData("/l/gap/configs", "/m/gap/configs", "/l", "/m")]
    [InlineData("/a/configs", "/a/configs-old", null, null)]
    public void Given_where_a_file_was_written_and_where_it_is_Then_the_study_roots(string then, string now, string? oldRoot, string? newRoot)
    {
        var roots = StudyRelocation.Roots(then, now);
        Assert.Equal(oldRoot, roots?.Old);
        Assert.Equal(newRoot, roots?.New);
        if (roots is { } r)
        {
            Assert.Equal(newRoot + "/runs/x", StudyRelocation.Moved(oldRoot + "/runs/x", r.Old, r.New));
            Assert.Equal(oldRoot + "-other/x", StudyRelocation.Moved(oldRoot + "-other/x", r.Old, r.New));
        }
    }

    [Fact]
    public void Given_a_run_file_Then_its_config_keeps_its_hash_through_json()
    {
        using var dir = new TempDir();
        var study = StudyKinds.Demo("/data", 1);
        var c = study.Train with { Seed = 3, Sparsity = study.Train.Sparsity with { MaskFrom = dir.Combine("m.safetensors") } };
        var spec = new RunSpec("scratch-s0.9-seed3", dir.Combine("runs"), c, [new CheckpointSpec("epoch", 1, dir.Combine("e.ckpt")), new CheckpointSpec("step", 7, dir.Combine("r.ckpt"))],
            [new MaskRecipe(dir.Combine("m.safetensors"), dir.Combine("runs", "dense"), "final", new SparseLab.Sparsity.PruningOptions(0.9, "magnitude", "global", null, 1, 3, false))]);
        spec.Write(dir.Combine("run.json"));
        var read = RunSpec.Read(dir.Combine("run.json"));
        Assert.Equal(ConfigHash.Canonical(c), ConfigHash.Canonical(read.Config));
        Assert.Equal(spec.ResolveDir(), read.ResolveDir());
        Assert.Equal(spec.Masks.Single() with { Metadata = null }, read.Masks.Single() with { Metadata = null });
        Assert.Equal(spec.Checkpoints, read.Checkpoints);
        Assert.Equal(["EpochCheckpoint", "RewindCheckpoint"], read.Callbacks().Select(c => c.GetType().Name));
        Assert.Equal(1, read.Config.Runtime.Threads);
    }

    [Fact]
    public void Given_a_study_config_Then_it_reads_back_with_the_same_canonical_string()
    {
        var study = StudyKinds.Curriculum with { Sparsities = [0.9, 0.99], Seeds = 2 };
        var read = ConfigJson.Read<GapStudyConfig>(ConfigJson.Write(study));
        Assert.Equal(study.Canonical(), read.Canonical());
        Assert.Equal(study.Methods, read.Methods);
    }

    [Fact]
    public void Given_a_missing_run_file_Then_one_error_line()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["run-config", dir.Combine("nope.json")]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: --file '{dir.Combine("nope.json")}' does not exist", r.Err);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(to + d[from.Length..]);
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(f, to + f[from.Length..]);
    }

    private static string Without(string json, string key)
    {
        var o = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        o.Remove(key);
        return o.ToJsonString();
    }
}
