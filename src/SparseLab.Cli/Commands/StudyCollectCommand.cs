// `sparselab study collect DIR`: once the runs of a study submitted with
// --executor slurm --no-wait are done, writes study.json and the report (the
// curvature and the linear paths are measured here, as the local executor
// would); refuses while any run has not finished.
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Studies;
using SparseLab.Studies.Execution;

namespace SparseLab.Cli.Commands;

public sealed class StudyCollectCommand : CliCommand<StudyCollectCommand.Options>, IHasPositional
{
    public sealed record Options
    {
        [Option("The study folder (--out of the study submitted with --executor slurm); may also be given bare: study collect DIR.", Value = "DIR", IsPath = true)]
        public string? Dir { get; init; }
    }

    public override string Path => "study collect";
    public override string Description =>
        "Write study.json and the report of a study whose runs were submitted with --executor slurm --no-wait, once they are done.";
    public override IReadOnlyList<string> Examples => ["study collect runs/gap"];
    public string PositionalFlag => "--dir";
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        string dir = bound.Value.Dir ?? throw new ConfigError($"{ConfigError.Field(nameof(Options.Dir))} is missing: give the study folder (study collect DIR)");
        var folder = new StudyFolder(dir);
        if (!File.Exists(folder.StudyConfigFile))
            throw new ConfigError($"{ConfigError.Field(nameof(Options.Dir))} '{folder.Path}' holds no study submitted with --executor slurm (no {System.IO.Path.GetRelativePath(folder.Path, folder.StudyConfigFile)})");
        GapStudyConfig study;
        try
        {
            study = ConfigJson.Read<GapStudyConfig>(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(folder.StudyConfigFile))!);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new SparseLabException($"'{folder.StudyConfigFile}' is not a readable study config ({e.Message})", inner: e);
        }
        return StudyCommand.Run(study, folder, new CollectExecutor());
    }
}
