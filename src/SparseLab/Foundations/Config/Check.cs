// One-line checks for a record's Validate(): each failure names its field.
using System.Globalization;

namespace SparseLab.Foundations;

public static class Check
{
    /// <summary>Throws "{field} {problem}" unless <paramref name="ok"/>.</summary>
    public static void That(bool ok, string field, string problem)
    {
        if (!ok) throw ConfigError.Of(field, problem);
    }

    /// <summary>Throws the template (field references made with <see cref="ConfigError.Field"/>) unless <paramref name="ok"/>.</summary>
    public static void That(bool ok, string template)
    {
        if (!ok) throw new ConfigError(template);
    }

    public static void Positive(double value, string field) => That(value > 0, field, $"must be > 0, got {Fmt(value)}");
    public static void Positive(long value, string field) => That(value > 0, field, $"must be at least 1, got {value}");
    public static void NotNegative(double value, string field) => That(value >= 0, field, $"must be 0 or more, got {Fmt(value)}");
    public static void NotNegative(long value, string field) => That(value >= 0, field, $"must be 0 or more, got {value}");
    public static void Fraction(double value, string field) => That(value is >= 0 and < 1, field, $"must be in [0, 1), got {Fmt(value)}");

    /// <summary>Runs a nested record's checks and reports its fields under <paramref name="section"/>.</summary>
    public static void Section(IConfigRecord record, string section)
    {
        try
        {
            record.Validate();
        }
        catch (ConfigError e)
        {
            throw e.Within(section);
        }
    }

    public static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
