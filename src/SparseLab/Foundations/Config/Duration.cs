// A point or length in training that scales with the run: "80ep" (epochs),
// "500it" (optimizer steps) or "0.5" (a fraction of the run). A bare whole
// number counts in the field's own unit (milestones in epochs, update
// intervals in steps), as those fields did before durations existed, so a
// preset written in fractions stays right when --epochs changes.
using System.Globalization;

namespace SparseLab.Foundations;

public enum DurationUnit { Steps, Epochs, Fraction }

public readonly record struct Duration(double Value, DurationUnit Unit)
{
    public static Duration Steps(long n) => new(n, DurationUnit.Steps);
    public static Duration Epochs(double n) => new(n, DurationUnit.Epochs);
    public static Duration Fraction(double f) => new(f, DurationUnit.Fraction);

    public bool IsZero => Value == 0;

    /// <summary>Parses "80ep", "500it", "0.5", or a bare whole number in <paramref name="natural"/> units.</summary>
    public static bool TryParse(string text, DurationUnit natural, out Duration duration, out string problem)
    {
        duration = default;
        problem = "";
        string t = text.Trim();
        if (t.EndsWith("ep", StringComparison.Ordinal) && Number(t[..^2], out double epochs))
        {
            duration = Epochs(epochs);
            return true;
        }
        if (t.EndsWith("it", StringComparison.Ordinal) && long.TryParse(t[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out long steps))
        {
            duration = Steps(steps);
            return true;
        }
        if (!Number(t, out double x))
        {
            problem = "is not a duration; write epochs (80ep), optimizer steps (500it) or a fraction of the run (0.5)";
            return false;
        }
        if (natural == DurationUnit.Fraction) duration = Fraction(x);
        else if (x == Math.Floor(x)) duration = new Duration(x, natural);
        else if (x is > 0 and < 1) duration = Fraction(x);
        else
        {
            problem = $"is neither a whole number of {(natural == DurationUnit.Epochs ? "epochs" : "steps")} nor a fraction of the run in (0, 1); write {Fmt(x)}ep, 500it or 0.5";
            return false;
        }
        return true;
    }

    /// <summary>The optimizer step this duration ends on, in a run of <paramref name="totalSteps"/> with <paramref name="stepsPerEpoch"/>.</summary>
    public long ToSteps(long stepsPerEpoch, long totalSteps) => Unit switch
    {
        DurationUnit.Steps => (long)Value,
        DurationUnit.Epochs => (long)Math.Round(Value * stepsPerEpoch),
        _ => (long)Math.Round(Value * totalSteps),
    };

    /// <summary>The fraction of a run of <paramref name="totalSteps"/> this duration covers (a fraction exactly as given).</summary>
    public double ToFraction(long stepsPerEpoch, long totalSteps) =>
        Unit == DurationUnit.Fraction ? Value : (double)ToSteps(stepsPerEpoch, totalSteps) / totalSteps;

    /// <summary>What users write: 80ep, 500it or 0.5.</summary>
    public override string ToString() => IsZero ? "0" : Unit switch
    {
        DurationUnit.Steps => $"{Fmt(Value)}it",
        DurationUnit.Epochs => $"{Fmt(Value)}ep",
        _ => Fmt(Value),
    };

    /// <summary>
    /// The hashed form: a bare number in the field's own unit (the form configs were hashed in before
    /// durations existed, so those runs keep their folders), otherwise the unit spelled out.
    /// </summary>
    public string Canonical(DurationUnit natural) => Unit == natural || IsZero ? Fmt(Value) : Unit == DurationUnit.Fraction ? $"{Fmt(Value)}frac" : ToString();

    private static bool Number(string s, out double x) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out x) && double.IsFinite(x) && x >= 0;

    private static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
