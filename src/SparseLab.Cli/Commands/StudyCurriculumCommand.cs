// `sparselab study curriculum`: the seed's proposed fix under fair controls. At each
// sparsity and seed: dense → mask from Sol-D → sparse finetuning, plain sparse scratch,
// and scratch with a Fisher curriculum, an anti-curriculum, a random order under the same
// pacing and an EL2N curriculum — the same mask and init for all — with gap closed, cost,
// Fisher traces over training and a report.
using System.ComponentModel;
using SparseLab.Cli.Settings;
using SparseLab.Foundations;
using SparseLab.Studies;
using Spectre.Console.Cli;

namespace SparseLab.Cli.Commands;

public sealed class StudyCurriculumCommand : Command<StudyCurriculumCommand.Settings>
{
    public const string DefaultMethods = "finetune,scratch,curriculum,anti-curriculum,random-pacing,el2n-curriculum";

    public sealed class Settings : StudyGapCommand.Settings
    {
        [CommandOption("--el2n-reference <MODEL>")] [Description("Models EL2N is averaged over: warmup:K (default warmup:1) or run:DIR.")]
        public string? El2nReference { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Sparsity is not null)
            throw new InvalidOptionException("--sparsity is for single runs; the study takes --sparsities");
        if (settings.Order is not null)
            throw new InvalidOptionException("--order is chosen per arm by the study (curriculum, anti-curriculum, random-pacing); drop it");
        var gap = settings.ToStudyConfig();
        var d = new CurriculumStudyOptions();
        var train = gap.Train;
        var study = gap with
        {
            // The pacing and score options describe the curriculum arms, not the dense and scratch recipe.
            Train = train with
            {
                Curriculum = null, CurriculumReference = null, Pacing = null, BalanceClasses = false,
                PacingA = d.PacingA, PacingB = d.PacingB, PacingSp = d.PacingSp, PacingInc = d.PacingInc, PacingStep = d.PacingStep, ScoreRuns = d.ScoreRuns,
            },
            Methods = settings.Methods is null ? DefaultMethods.Split(',') : gap.Methods,
            Sparsities = settings.Sparsities is null ? [0.9, 0.98] : gap.Sparsities,
            PathPoints = settings.Points ?? 0,
            Curriculum = new CurriculumStudyOptions
            {
                Score = train.Curriculum ?? d.Score, Reference = train.CurriculumReference ?? d.Reference,
                El2nReference = settings.El2nReference ?? d.El2nReference, ScoreRuns = train.ScoreRuns,
                Pacing = train.Pacing ?? d.Pacing, PacingA = train.PacingA, PacingB = train.PacingB,
                PacingSp = train.PacingSp, PacingInc = train.PacingInc, PacingStep = train.PacingStep, BalanceClasses = train.BalanceClasses,
            },
        };
        if (study.Curriculum.Score is "el2n" or "random" || study.Curriculum.Score.StartsWith("file:", StringComparison.Ordinal))
            throw new InvalidOptionException($"--curriculum '{study.Curriculum.Score}': the curriculum arm's score must be fisher-true, fisher-empirical, last-layer or loss (el2n and random have arms of their own)");
        if (study.Curriculum.Pacing == "none")
            throw new InvalidOptionException("--pacing none would make every arm plain scratch; choose a pacing such as linear");
        return StudyGapCommand.RunStudy(study, new StudyFolder(settings.Out ?? "runs/study-curriculum"));
    }
}
