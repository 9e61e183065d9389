// What a language-model run cannot do yet, refused by name before anything is
// read or written: curricula score a text's windows by per-sequence Fisher,
// loss or noise only (Curriculum/CurriculumExamples), the Fisher probe has
// only its fast form for sequences (Information/SequenceFisher), and SNIP,
// GraSP, SynFlow and Fisher pruning
// feed image batches or an all-ones image. Magnitude, random, N:M and Wanda
// (whose layer inputs are flattened to tokens) prune a GPT.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Sparsity.Criteria;

namespace SparseLab.Training.Tasks;

public static class TextOnly
{
    private static readonly string[] Criteria = ["magnitude", "random", "wanda"];

    public static void Check(TrainConfig config)
    {
        if (!DatasetCatalog.IsText(config.Data.Dataset)) return;
        if (config.Curriculum.Score is { } score && Curriculum.ScoreSpec.Parse(score, config.Curriculum.Reference).Kind is var kind && kind != "file")
            Foundations.Check.That(Curriculum.CurriculumExamples.TextKinds.Contains(kind),
                $"{ConfigError.Field("Curriculum.Score")} {score} scores images only; a text's windows are scored by one of: {string.Join(", ", Curriculum.CurriculumExamples.TextKinds)}, file:PATH");
        Foundations.Check.That(!config.Curriculum.BalanceClasses, $"{ConfigError.Field("Curriculum.BalanceClasses")}: text windows have no classes to balance");
        Foundations.Check.That(config.Probes.FisherMethod == "fast", $"{ConfigError.Field("Probes.FisherMethod")} {config.Probes.FisherMethod}: a language model's Fisher is measured fast only");
        if (config.Early.Select is { } select)
            throw new ConfigError($"{ConfigError.Field("Early.Select")} {select} scores single examples by their gradient norms, which need an image classifier (per-example norms of Linear, Conv2d and BatchNorm2d layers); " +
                $"the language model on {config.Data.Dataset} has none per window here: drop {ConfigError.Field("Early.Select")}");
        Foundations.Check.That(config.Early.Penalty is null, $"{ConfigError.Field("Early.Penalty")} is built for image classifiers; the language model on {config.Data.Dataset} is not supported yet: drop it");
        string criterion = config.Sparsity.Criterion;
        Foundations.Check.That(Criteria.Contains(criterion) || CriterionRegistry.NmOf(criterion) is not null,
            $"{ConfigError.Field("Sparsity.Criterion")} {criterion} does not prune a language model yet; use one of: {string.Join(", ", Criteria)}, nm:N:M");
    }
}
