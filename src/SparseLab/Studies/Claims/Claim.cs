// One claim of the seed ("The Price of Sparsity", Ye et al. 2022) that the
// ledger tests: the claim in the seed's words, the seed's own evidence, the
// study it is measured in, its verdict rule, and how it reads the study's
// numbers. A new claim is one subclass and one line in ClaimRegistry.
using SparseLab.Reporting;

namespace SparseLab.Studies.Claims;

public abstract class Claim
{
    /// <summary>The ledger's name for the claim (C1, C2, …), also its --claims name.</summary>
    public abstract string Id { get; }
    /// <summary>A few words for tables.</summary>
    public abstract string Title { get; }
    /// <summary>The claim as the seed states it.</summary>
    public abstract string SeedWords { get; }
    /// <summary>The seed's own evidence: its setting and number.</summary>
    public abstract string SeedEvidence { get; }
    /// <summary>The name of the ClaimStudy whose result the claim reads.</summary>
    public abstract string Study { get; }
    /// <summary>The statistic and the verdict rule, in words; part of the ledger's identity (a changed rule is a new ledger).</summary>
    public abstract string Rule { get; }

    /// <summary>The claim's rows (one, or one per metric or arm), judged from the study's result.</summary>
    public abstract IEnumerable<ClaimRow> Judge(GapStudyResult result);

    /// <summary>What the rule depends on: a ledger folder written under another definition is refused, never mixed.</summary>
    public string Definition => $"{Id}|{Study}|{SeedWords}|{Rule}";

    /// <param name="key">The key number for the ledger's table (default: the estimate, in points).</param>
    protected ClaimRow Row(string verdict, string measurement, string why, int seeds, Estimate? estimate = null, string? id = null, string? title = null,
        string? key = null) =>
        new(id ?? Id, title ?? Title, SeedWords, SeedEvidence, Study, measurement, estimate, seeds, verdict, why)
        {
            Key = key ?? (estimate is null ? "" : Verdicts.Points(estimate) + " points"),
        };
}

/// <param name="Measurement">SparseLab's number(s), with intervals.</param>
/// <param name="Estimate">The headline statistic the verdict rests on, when there is one.</param>
/// <param name="Why">The verdict rule applied to this measurement, in one sentence.</param>
public sealed record ClaimRow(
    string Id, string Title, string SeedWords, string SeedEvidence, string Study,
    string Measurement, Estimate? Estimate, int Seeds, string Verdict, string Why)
{
    /// <summary>The number the verdict rests on, short, for the ledger's table.</summary>
    public string Key { get; init; } = "";
    /// <summary>The study's setting in words (filled by the ledger).</summary>
    public string Setting { get; init; } = "";
    /// <summary>The command that reproduces this row.</summary>
    public string Command { get; init; } = "";
}
