// A study folder is claimed under its config's canonical string: every
// declared option that changes the numbers must change it, or a rerun with
// another value silently reuses what the old one computed (--curvature-samples
// once did). Each option is changed once, generically, from the declarations;
// one added later is covered without a word here.
using SparseLab.Foundations;
using SparseLab.Studies;

namespace SparseLab.Tests.Studies;

public sealed class StudyIdentityTests
{
    private static readonly string[] Candidates = ["0.37", "7", "3", "true", "false", "3ep", "0.3,0.6", "x"];

    [Fact]
    public void Given_each_declared_option_changed_once_Then_the_study_identity_changes_exactly_when_the_option_is_hashed()
    {
        var defaults = new GapStudyConfig();
        string baseline = defaults.Canonical();
        var checkedFields = new List<string>();
        // References are hashed by what they point at (RunIdentityTests); a field with one allowed value cannot change.
        foreach (var f in ConfigSchema.Of<GapStudyConfig>().Fields.Where(f => f.Option.Reference == ReferenceKind.None && f.Allowed is not { Count: <= 1 }))
        {
            var changed = Changed(f, defaults);
            Assert.True(changed is not null, $"{f.PropertyPath}: no candidate value differs from the default; extend the candidates");
            bool differs = changed!.Canonical() != baseline;
            Assert.True(differs == f.Hashed, $"{f.PropertyPath} ({f.Flag}) changed: identity {(differs ? "changed" : "unchanged")}, but the field is {(f.Hashed ? "hashed" : "[NotHashed]")}");
            checkedFields.Add(f.PropertyPath);
        }
        Assert.Contains("CurvatureSamples", checkedFields);
        Assert.Contains("Train.Optimization.Lr", checkedFields);
        Assert.Contains("Early.Steps", checkedFields);
    }

    [Fact]
    public void Given_a_folder_claimed_under_the_older_string_Then_it_is_taken_and_its_record_brought_up_to_date()
    {
        using var dir = new TempDir();
        var config = new GapStudyConfig { Seeds = 2 };
        var environment = RunEnvironment.Capture(1, "cpu");
        new StudyFolder(dir.Path).Claim("gap", config.LegacyCanonical(), environment);
        new StudyFolder(dir.Path).Claim("gap", config.Canonical(), environment, legacy: config.LegacyCanonical());
        Assert.Contains(config.Canonical(), File.ReadAllText(new StudyFolder(dir.Path).ConfigFile));
        var other = config with { CurvatureSamples = 64 };
        var e = Assert.Throws<ConfigError>(() => new StudyFolder(dir.Path).Claim("gap", other.Canonical(), environment, legacy: other.LegacyCanonical()));
        Assert.Contains("CurvatureSamples=64", e.Message);
    }

    private static GapStudyConfig? Changed(ConfigField f, GapStudyConfig defaults)
    {
        string before = f.Canonical(f.Get(defaults));
        IEnumerable<string> texts = f.Allowed is { } allowed ? [.. allowed] : Candidates;
        if (f.IsList && f.Allowed is { } names) texts = names.Append(string.Join(",", names.Take(2)));
        foreach (var text in texts)
        {
            object? value;
            try { value = f.Parse(text); }
            catch (ConfigError) { continue; }
            if (f.Canonical(value) != before) return (GapStudyConfig)f.With(defaults, value);
        }
        return null;
    }
}
