using System.Globalization;
using SparseLab.Foundations;

namespace SparseLab.Tests.Foundations;

public sealed class ConfigHashTests
{
    [Fact]
    public void Given_the_default_config_Then_the_canonical_string_is_empty() =>
        Assert.Equal("", ConfigHash.Canonical(new TrainConfig()));

    [Fact]
    public void Given_changed_fields_Then_they_appear_sorted_with_invariant_numbers()
    {
        var c = new TrainConfig { Model = "mlp", Lr = 0.1, Milestones = [5, 8] };
        Assert.Equal("Lr=0.1;Milestones=[5,8];Model=mlp", ConfigHash.Canonical(c));
    }

    [Fact]
    public void Given_an_execution_setting_When_it_changes_Then_the_hash_does_not()
    {
        var a = new TrainConfig { Seed = 3 };
        Assert.Equal(ConfigHash.Hash(a), ConfigHash.Hash(a with { Threads = 7, Device = "auto", DataDir = "/x" }));
        Assert.NotEqual(ConfigHash.Hash(a), ConfigHash.Hash(a with { Seed = 4 }));
    }

    [Fact]
    public void Given_a_comma_decimal_culture_Then_the_hash_is_unchanged()
    {
        var c = new TrainConfig { Lr = 0.125 };
        string expected = ConfigHash.Hash(c);
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE", useUserOverride: false);
            Assert.Equal(expected, ConfigHash.Hash(c));
        }
        catch (CultureNotFoundException) { }   // invariant-globalization builds have no de-DE
        finally { CultureInfo.CurrentCulture = saved; }
    }
}
