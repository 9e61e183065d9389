// What a curriculum ranks examples by (METHODS §7): the score kind and the reference
// model that scores them. Kinds: per-example Fisher information (true, empirical, or the
// last layer's closed form; METHODS §6), EL2N (Paul et al. 2021), loss, random, or a score
// file. References: init (the run's own initialization, masked: Init-S), warmup:K (a short
// dense warm-up of K epochs), self:K (the current model, re-scored every K epochs),
// run:DIR[:CHECKPOINT] (any saved run), or, in a study, dense (the seed's Sol-D) and
// dense:epK (the dense run's own weights after epoch K).
using System.Globalization;
using SparseLab.Foundations;

namespace SparseLab.Curriculum;

public sealed record ScoreReference(string Kind, int Epochs = 0, string? Run = null, string Checkpoint = "final")
{
    public override string ToString() => Kind switch
    {
        "warmup" or "self" => $"{Kind}:{Epochs}",
        "dense" => Epochs == 0 ? "dense" : $"dense:ep{Epochs}",
        "run" => $"run:{Run}:{Checkpoint}",
        _ => Kind,
    };

    /// <summary>The reference, or null when the text is not one.</summary>
    public static ScoreReference? TryParse(string text)
    {
        try
        {
            return Parse(text);
        }
        catch (ConfigError)
        {
            return null;
        }
    }

    /// <summary>
    /// In a study, dense and dense:epK as the saved run they name: run:DENSE:final or run:DENSE:epoch-K (a checkpoint
    /// the study has the dense run save). Every other reference is itself.
    /// </summary>
    public string Resolve(string denseRun) => Kind != "dense" ? ToString() : $"run:{denseRun}:{DenseCheckpoint}";

    /// <summary>The dense run's checkpoint a dense reference scores under.</summary>
    public string DenseCheckpoint => Epochs == 0 ? "final" : $"epoch-{Epochs}";

    public static ScoreReference Parse(string text)
    {
        if (text == "init") return new ScoreReference("init");
        if (text == "dense") return new ScoreReference("dense");
        int colon = text.IndexOf(':');
        string head = colon < 0 ? text : text[..colon], rest = colon < 0 ? "" : text[(colon + 1)..];
        switch (head)
        {
            case "warmup" or "self":
                if (!int.TryParse(rest, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) || k < 1)
                    throw ConfigError.Of(nameof(CurriculumConfig.Reference), $"'{text}': {head}:K needs a whole number of epochs K ≥ 1, e.g. {head}:2");
                return new ScoreReference(head, k);
            case "dense":
                string epochs = rest.StartsWith("ep", StringComparison.Ordinal) ? rest[2..] : rest;
                if (!int.TryParse(epochs, NumberStyles.None, CultureInfo.InvariantCulture, out int e) || e < 1)
                    throw ConfigError.Of(nameof(CurriculumConfig.Reference), $"'{text}': dense:epK needs a whole number of epochs K ≥ 1, e.g. dense:ep1");
                return new ScoreReference("dense", e);
            case "run" when rest.Length > 0:
                int last = rest.LastIndexOf(':');
                return last > 0 && !Directory.Exists(rest)
                    ? new ScoreReference("run", Run: rest[..last], Checkpoint: rest[(last + 1)..])
                    : new ScoreReference("run", Run: rest);
            default:
                throw ConfigError.Of(nameof(CurriculumConfig.Reference), $"'{text}' is not known; use init, warmup:K, self:K, run:DIR[:CHECKPOINT], or in a study dense or dense:epK");
        }
    }
}

public sealed record ScoreSpec(string Kind, ScoreReference Reference, string? File = null, string? Column = null)
{
    public static IReadOnlyList<string> Kinds { get; } = ["fisher-true", "fisher-exact", "fisher-empirical", "last-layer", "el2n", "loss", "random"];

    /// <summary>The --curriculum names: the score kinds, and file:PATH[#COLUMN].</summary>
    public static NameSet Names { get; } = new(Kinds, name => name.StartsWith("file:", StringComparison.Ordinal), "file:PATH[#COLUMN]");

    /// <summary>The kind's column in a score CSV (the `fisher --scores` names).</summary>
    public static string ColumnOf(string kind) => kind switch
    {
        "fisher-true" => "true",
        "fisher-empirical" => "empirical",
        "last-layer" => "last_layer",
        _ => kind,
    };

    /// <summary>Parses --curriculum and --curriculum-reference (null: init, or warmup:1 for el2n, which needs trained models).</summary>
    private static string Field(string name) => ConfigError.Field(name);

    public static ScoreSpec Parse(string curriculum, string? reference)
    {
        if (curriculum.StartsWith("file:", StringComparison.Ordinal))
        {
            string rest = curriculum["file:".Length..];
            int hash = rest.LastIndexOf('#');
            string path = hash < 0 ? rest : rest[..hash];
            Check.That(path.Length > 0, nameof(CurriculumConfig.Score), "file:PATH needs a path to a score CSV");
            Check.That(reference is null, $"{Field(nameof(CurriculumConfig.Reference))} does not apply to a score file: its scores are already computed");
            return new ScoreSpec("file", new ScoreReference("file"), path, hash < 0 ? null : rest[(hash + 1)..]);
        }
        if (!Kinds.Contains(curriculum))
            throw ConfigError.Of(nameof(CurriculumConfig.Score), $"'{curriculum}' is not known; use one of: {Names.Describe()}");
        var r = ScoreReference.Parse(reference ?? (curriculum == "el2n" ? "warmup:1" : "init"));
        if (curriculum == "el2n" && r.Kind is "init" or "self")
            throw new ConfigError($"{Field(nameof(CurriculumConfig.Score))} el2n averages the error of trained models (Paul et al. 2021); use {Field(nameof(CurriculumConfig.Reference))} warmup:K or run:DIR, not {r}");
        return new ScoreSpec(curriculum, r);
    }
}
