// Turns a study's rows into its tables: every (sparsity, method) cell over
// seeds, and per sparsity the regime from the train-accuracy gap
// (finetune − scratch, paired by seed) with the test gap beside it; for a
// language model from the loss gaps (scratch − finetune, nats per byte).
using SparseLab.Foundations;
using SparseLab.Reporting;
using SparseLab.Studies.Methods;

namespace SparseLab.Studies;

public static class StudyTables
{
    public static GapStudyResult Build(GapStudyConfig config, RunEnvironment environment, IReadOnlyList<StudyRow> rows, IReadOnlyList<StudyPath> paths)
    {
        var cells = rows.GroupBy(r => (r.Sparsity, r.Method))
            .OrderBy(g => g.Key.Sparsity).ThenBy(g => MethodOrder(g.Key.Method))
            .Select(g => new StudyCell(g.Key.Sparsity, g.Key.Method,
                Fraction(Statistics.Summarize([.. g.Select(r => r.TestAccuracy)])), Fraction(Statistics.Summarize([.. g.Select(r => r.TrainAccuracy)])),
                Statistics.Summarize([.. g.Select(r => r.TestLoss)]), Statistics.Summarize([.. g.Select(r => r.TrainLoss)]),
                g.All(r => r.TrainCost is not null) ? Statistics.Summarize([.. g.Select(r => r.TrainCost!.Value)]) : null))
            .ToList();

        bool text = Training.Tasks.TaskRegistry.For(config.Train).RanksByLoss;   // "text": ranked by held-out loss (a language model, a denoiser)
        var regimes = new List<StudyRegime>();
        foreach (double s in config.Sparsities)
        {
            var finetune = rows.Where(r => r.Sparsity == s && r.Method == Finetune.Id).OrderBy(r => r.Seed).ToList();
            var scratch = rows.Where(r => r.Sparsity == s && r.Method == Scratch.Id).OrderBy(r => r.Seed).ToList();
            var seeds = finetune.Select(r => r.Seed).Intersect(scratch.Select(r => r.Seed)).ToHashSet();
            if (seeds.Count == 0) continue;
            finetune = [.. finetune.Where(r => seeds.Contains(r.Seed))];
            scratch = [.. scratch.Where(r => seeds.Contains(r.Seed))];
            // Classifiers: accuracy, finetune − scratch. Language models: loss in nats per byte, scratch − finetune, so a
            // positive gap means finetuning is better either way (the "train-loss gap for the regimes").
            var trainGap = text
                ? Statistics.Paired([.. scratch.Select(r => r.TrainLoss)], [.. finetune.Select(r => r.TrainLoss)])
                : Statistics.Paired([.. finetune.Select(r => r.TrainAccuracy)], [.. scratch.Select(r => r.TrainAccuracy)]);
            var testGap = text
                ? Statistics.Paired([.. scratch.Select(r => r.TestLoss)], [.. finetune.Select(r => r.TestLoss)])
                : Statistics.Paired([.. finetune.Select(r => r.TestAccuracy)], [.. scratch.Select(r => r.TestAccuracy)]);
            var bestVal = !text && finetune.Concat(scratch).All(r => r.BestValTestAccuracy is not null)
                ? Statistics.Paired([.. finetune.Select(r => r.BestValTestAccuracy!.Value)], [.. scratch.Select(r => r.BestValTestAccuracy!.Value)])
                : null;
            regimes.Add(new StudyRegime(s, RegimeOf(trainGap, config.RegimeThreshold), config.RegimeThreshold, trainGap, testGap) { TestGapBestVal = bestVal });
        }

        var gapClosed = config.HasScratchArms ? GapClosedTable(config, rows, text) : null;

        var t = config.Train;
        var configView = new Dictionary<string, object?>
        {
            ["model"] = t.Model.Name, ["dataset"] = t.Data.Dataset, ["epochs"] = t.Optimization.Epochs,
            ["finetune_epochs"] = config.EffectiveFinetuneEpochs, ["lr"] = t.Optimization.Lr, ["finetune_lr"] = config.EffectiveFinetuneLr,
            ["batch_size"] = t.Optimization.BatchSize, ["optimizer"] = t.Optimization.Optimizer, ["lr_schedule"] = t.Optimization.LrSchedule,
            ["limit_train"] = t.Data.LimitTrain, ["sparsities"] = config.Sparsities, ["seeds"] = config.Seeds,
            ["criterion"] = config.Criterion, ["budget"] = config.Budget, ["methods"] = config.Methods,
            ["scratch_init"] = config.ScratchInit,
            ["imp_rate"] = config.HasImp ? config.Imp.Rate : null, ["rewind"] = config.HasImp ? config.Imp.Rewind.ToString() : null,
            ["path_points"] = config.PathPoints, ["path_bn"] = config.PathBn,
            ["regime_threshold"] = config.RegimeThreshold, ["canonical"] = config.Canonical(),
        };
        var environmentView = new Dictionary<string, object?>
        {
            ["cpu"] = environment.Cpu, ["cores"] = environment.LogicalCores, ["threads"] = environment.Threads,
            ["device"] = environment.Device, ["torchsharp"] = environment.TorchSharp, ["libtorch"] = environment.LibTorch,
            ["dotnet"] = environment.DotNet, ["os"] = environment.Os, ["date"] = environment.StartedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (config.HasCurriculumArms) configView["curriculum"] = CurriculumView(config);
        // A classifier's runs that stalled at chance, counted and tested (a language model has no chance level in these terms).
        int? classes = Training.Tasks.TaskRegistry.For(t).HasAccuracy && !text ? Data.DatasetCatalog.Info(t.Data.Dataset).NumClasses : null;
        if (classes is { } c) configView["stall_rule"] = StallRule.Describe(c);
        return new GapStudyResult(configView, environmentView, rows, paths, cells, regimes, GapClosed: gapClosed,
            Metric: Training.Tasks.TaskRegistry.For(t).StudyMetric,
            Memorization: ArmComparison.Memorization(rows),
            Stalls: classes is { } k ? StallTable.Counts(rows, k) : null, StallTests: classes is { } n ? StallTable.Tests(rows, n) : null);
    }

    /// <summary>Per sparsity and curriculum or early-phase arm: gap closed (paired by seed), gains over scratch, and cost relative to finetuning.</summary>
    /// <param name="text">A language model: gains in loss (nats, scratch − arm), so a positive gain is still an improvement.</param>
    private static List<GapClosed> GapClosedTable(GapStudyConfig config, IReadOnlyList<StudyRow> rows, bool text)
    {
        double Held(StudyRow r) => text ? -r.TestLoss : r.TestAccuracy;     // higher is better either way
        double Fit(StudyRow r) => text ? -r.TrainLoss : r.TrainAccuracy;
        var table = new List<GapClosed>();
        foreach (double s in config.Sparsities)
        {
            var finetune = rows.Where(r => r.Sparsity == s && r.Method == Finetune.Id).ToDictionary(r => r.Seed);
            var scratch = rows.Where(r => r.Sparsity == s && r.Method == Scratch.Id).ToDictionary(r => r.Seed);
            foreach (var arm in config.MethodList.Where(m => m.Kind is MethodKind.CurriculumArm or MethodKind.EarlyPhaseArm).Select(m => m.Name))
            {
                var armRows = rows.Where(r => r.Sparsity == s && r.Method == arm && finetune.ContainsKey(r.Seed) && scratch.ContainsKey(r.Seed))
                    .OrderBy(r => r.Seed).ToList();
                if (armRows.Count == 0) continue;
                double[] gain = [.. armRows.Select(r => Held(r) - Held(scratch[r.Seed]))];
                double[] gap = [.. armRows.Select(r => Held(finetune[r.Seed]) - Held(scratch[r.Seed]))];
                double cost = armRows.Average(r => (r.TrainCost ?? double.NaN) / (finetune[r.Seed].TrainCost ?? double.NaN));   // both count the dense run
                double marginal = armRows.Average(r => (r.MarginalCost ?? double.NaN) / (finetune[r.Seed].MarginalCost ?? double.NaN));
                table.Add(new GapClosed(s, arm, Statistics.RatioOfMeans(gain, gap),
                    Statistics.Paired([.. armRows.Select(Held)], [.. armRows.Select(r => Held(scratch[r.Seed]))]),
                    Statistics.Paired([.. armRows.Select(Fit)], [.. armRows.Select(r => Fit(scratch[r.Seed]))]),
                    cost, marginal));
            }
        }
        return table;
    }

    /// <summary>The regime a train-accuracy gap's interval supports (StudyRegime).</summary>
    public static string RegimeOf(Estimate trainGap, double threshold) =>
        trainGap.N < 2 ? "undetermined"
        : trainGap.CiHigh < threshold ? "generalization"
        : trainGap.CiLow >= threshold ? "optimization"
        : "undetermined";

    /// <summary>An accuracy cannot leave [0, 1]: the t interval is clipped there (few seeds make it wide).</summary>
    private static Estimate Fraction(Estimate e) => e with { CiLow = Math.Max(0, e.CiLow), CiHigh = Math.Min(1, e.CiHigh) };

    private static int MethodOrder(string method) => StudyMethods.Rank(method);

    /// <summary>How the curriculum arms scored and paced, as study.json has always shown it.</summary>
    private static Dictionary<string, object?> CurriculumView(GapStudyConfig config)
    {
        var c = config.Curriculum;
        return new()
        {
            ["score"] = c.Score, ["reference"] = c.Reference, ["el2n_reference"] = config.El2nReference, ["score_runs"] = c.ScoreRuns,
            ["pacing"] = c.PacingName, ["pacing_a"] = c.PacingA.ToString(), ["pacing_b"] = c.PacingB, ["pacing_sp"] = c.PacingSp,
            ["pacing_inc"] = c.PacingInc, ["pacing_step"] = c.PacingStep.ToString(), ["balance_classes"] = c.BalanceClasses,
        };
    }
}
