// `sparselab study sweep`: the curriculum study for every weight initialization
// × scoring reference (one study folder each, resumable), and sweep.md: the
// verdict in words and the table of every cell (CurriculumSweep, SweepReport).
using SparseLab.Cli.Options;
using SparseLab.Cli.Rendering;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Reporting;
using SparseLab.Studies;
using SparseLab.Studies.Execution;

namespace SparseLab.Cli.Commands;

public sealed class StudySweepCommand : CliCommand<StudySweepCommand.Options>
{
    public sealed record Options
    {
        public GapStudyConfig Study { get; init; } = StudyKinds.Curriculum;

        [Option("Weight initializations to sweep, comma-separated.", OneOf = typeof(Initialization), Value = "LIST")]
        public string[] Inits { get; init; } = ["kaiming-normal", "pytorch-default"];

        [Option("Scoring references of the Fisher-ordered arms to sweep, comma-separated: init, warmup:K, dense (Sol-D), dense:epK, run:DIR.", Value = "LIST")]
        public string[] References { get; init; } = ["init", "warmup:1", "dense:ep1", "dense"];

        [Option("Start every study from a named recipe (see study gap --help); options given with it win.", OneOf = typeof(StudyPresets))]
        public string? Preset { get; init; }

        [Option("Sweep folder: one study folder per init and reference under it, and sweep.md.", Value = "DIR", IsPath = true)]
        public string Out { get; init; } = "runs/sweep";

        /// <summary>Where the runs train (--executor local|slurm and the Slurm options); each cell waits for its runs.</summary>
        public ExecutionConfig Execution { get; init; } = new();
    }

    public override string Path => "study sweep";
    public override string Description =>
        "The curriculum study for every --inits × --references, each a resumable study folder, and sweep.md: which arms beat their random-pacing control " +
        "beyond the noise, where, and whether low-Fisher-first beats high-Fisher-first, with every cell's gap, gains and gap closed.";
    public override IReadOnlyList<string> Examples =>
        ["study sweep --dataset fashion-mnist --model lenet5 --sparsities 0.98,0.99,0.995 --seeds 3 --references warmup:1,dense --out runs/sweep"];
    protected override Options Defaults => new();

    protected override IReadOnlyList<Excluded> Excluded =>
    [
        .. StudyCommand.StudyExclusions,
        new("Study.Train.Model.Init", "the sweep sets the init of each cell; list them with --inits"),
        new("Study.Curriculum.Reference", "the sweep sets the reference of each cell; list them with --references"),
    ];

    protected override Options Complete(Bound<Options> bound) =>
        bound.Value with { Study = StudyCommand.WithPreset(bound.Value.Study, bound.Value.Preset, bound.Sources) };

    protected override int Execute(Bound<Options> bound)
    {
        var o = bound.Value;
        Check.That(o.Inits.Distinct().Count() == o.Inits.Length && o.References.Distinct().Count() == o.References.Length,
            $"{ConfigError.Field(nameof(Options.Inits))} and {ConfigError.Field(nameof(Options.References))} must not list a value twice");
        // The cells share run folders: a cell's runs must be done before the next cell plans (it finds them finished).
        Check.That(!o.Execution.NoWait, $"{ConfigError.Field("Execution.NoWait")} does not apply to a sweep: its cells share runs, so each waits for its own before the next is submitted");
        var study = o.Study;
        var executor = StudyCommand.ExecutorFor(o.Execution, study.Train.Runtime.Threads);
        string root = System.IO.Path.GetFullPath(o.Out);
        var sweep = ConsoleObserver.Run(observer => NamingTheLists(() => CurriculumSweep.Run(study, o.Inits, o.References, root, observer, executor)));
        string file = SweepReport.Write(sweep, root);
        foreach (var line in SweepReport.Verdict(sweep.Cells)) Console.WriteLine(line);
        Console.WriteLine($"sweep: {file} (and sweep.json; one study folder per init and reference)");
        return 0;
    }

    /// <summary>A cell's config error (CurriculumSweep.Run validates every cell first) names the sweep's list (--references, --inits), not the per-study field it set.</summary>
    private static T NamingTheLists<T>(Func<T> sweep)
    {
        try
        {
            return sweep();
        }
        catch (ConfigError e)
        {
            throw e.Map(path => path switch
            {
                "Curriculum.Reference" => nameof(Options.References),
                "Train.Model.Init" => nameof(Options.Inits),
                _ => path,
            });
        }
    }
}
