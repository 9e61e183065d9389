// Where a study's runs train: in this process, one after another (local, the
// default and today's behaviour), or as Slurm job arrays (slurm). None of it
// is hashed: an executor changes where a run trains, never what it computes,
// so a study run through Slurm finds and writes the same run folders.
using SparseLab.Foundations;

namespace SparseLab.Studies.Execution;

public sealed record ExecutionConfig : IConfigRecord
{
    public const string Local = "local";
    public const string Slurm = "slurm";

    /// <summary>The executors --executor takes.</summary>
    public static NameSet Names { get; } = new(Local, Slurm);

    [Option("Where the runs train: local (this process, one after another) or slurm (job arrays through sbatch; the study waits and collects).",
        OneOf = typeof(ExecutionConfig))]
    public string Executor { get; init; } = Local;

    [Option("slurm: the partition the jobs go to (default: the cluster's default partition).", Value = "NAME")]
    public string? SlurmPartition { get; init; }

    [Option("slurm: each task's time limit, as sbatch --time takes it (e.g. 2:00:00 or 1-00:00:00).", Value = "TIME")]
    public string? SlurmTime { get; init; }

    [Option("slurm: CPUs per task (default: --threads when given, else 1).", Value = "N")]
    public int? SlurmCpus { get; init; }

    [Option("slurm: memory per task, as sbatch --mem takes it (e.g. 8G).", Value = "SIZE")]
    public string? SlurmMem { get; init; }

    [Option("slurm: GPUs per task (sbatch --gres=gpu:N).", Value = "N")]
    public int? SlurmGpus { get; init; }

    [Option("slurm: extra sbatch arguments, separated by spaces and passed as they are (e.g. --slurm-arg=\"--qos=long --account=lab\").", Value = "ARGS")]
    public string? SlurmArg { get; init; }

    [Option("slurm: at most P tasks of an array run at once (--array=0-N%P).", Value = "P")]
    public int SlurmParallel { get; init; } = 32;

    [Option("slurm: times a failed or cancelled task is resubmitted (it resumes from its last checkpoint) before the study stops.", Value = "N")]
    public int SlurmRetries { get; init; } = 2;

    [Option("slurm: seconds between looks at the queue while the study waits.", Value = "S")]
    public double SlurmPoll { get; init; } = 10;

    [Option("slurm: submit the job arrays, print their ids and return; `study collect DIR` writes study.json and the report once they are done.")]
    public bool NoWait { get; init; }

    public bool IsSlurm => Executor == Slurm;

    /// <summary>The sbatch arguments of --slurm-arg, split on white space.</summary>
    public IReadOnlyList<string> ExtraArgs => SlurmArg is null ? [] : SlurmArg.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public void Validate()
    {
        ConfigSchema.Of<ExecutionConfig>().CheckNames(this);
        Check.That(SlurmParallel >= 1, nameof(SlurmParallel), $"must be at least 1, got {SlurmParallel} (tasks of an array that may run at once)");
        Check.That(SlurmRetries >= 0, nameof(SlurmRetries), $"must be 0 or more, got {SlurmRetries}");
        Check.That(SlurmCpus is null or >= 1, nameof(SlurmCpus), $"must be at least 1, got {SlurmCpus}");
        Check.That(SlurmGpus is null or >= 0, nameof(SlurmGpus), $"must be 0 or more, got {SlurmGpus}");
        Check.That(SlurmPoll is > 0 and <= 3600, nameof(SlurmPoll), $"must be in (0, 3600] seconds, got {Check.Fmt(SlurmPoll)}");
        foreach (var (text, field) in new[] { (SlurmPartition, nameof(SlurmPartition)), (SlurmTime, nameof(SlurmTime)), (SlurmMem, nameof(SlurmMem)) })
            Check.That(text is null || (text.Length > 0 && !text.Any(char.IsWhiteSpace)), field, $"'{text}' must be one word");
        if (!IsSlurm)
        {
            // Options that would be silently ignored are refused.
            var defaults = new ExecutionConfig();
            var given = ConfigSchema.Of<ExecutionConfig>().Fields
                .Where(f => f.PropertyPath != nameof(Executor) && !Equals(f.Get(this), f.Get(defaults))).Select(f => ConfigError.Field(f.PropertyPath)).ToList();
            Check.That(given.Count == 0, $"{string.Join(", ", given)} only apply to {ConfigError.Field(nameof(Executor))} slurm");
        }
    }
}
