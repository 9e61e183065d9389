// Every declared requirement of an option ([Option(Requires = ...)] and
// [Section(Requires = ...)]) parses, names fields that exist, and asks them
// for values they can take: a typo in a declaration fails here, not in front
// of a user. And the conditions mean what the grammar says.
using SparseLab.Cli;
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Tests.Foundations;

public sealed class OptionDependencyDeclarationTests
{
    /// <summary>Every config root: each command's options record, and every config record on its own.</summary>
    private static IReadOnlyList<ConfigSchema> Roots =>
    [
        .. CommandTree.Commands.OfType<IHasOptions>().Select(c => c.OptionSet.Schema),
        .. typeof(TrainConfig).Assembly.GetTypes().Concat(typeof(CliApp).Assembly.GetTypes())
            .Where(t => typeof(IConfigRecord).IsAssignableFrom(t) && !t.IsInterface).Select(ConfigSchema.Of),
    ];

    [Fact]
    public void Given_every_config_root_Then_every_requirement_resolves_a_field_in_it_and_every_alternative_resolves_in_some_root()
    {
        var resolvedSomewhere = new Dictionary<(string Declared, string Text, int Alternative), bool>();
        foreach (var schema in Roots)   // building a schema parses every declaration and checks every value against its field
            foreach (var f in schema.Fields)
                foreach (var r in f.Requirements)
                {
                    Assert.True(r.Alternatives.Any(a => a.Field is not null),
                        $"{r.Declared}: requirement '{r.Text}' names no field of {schema.Root.Name} (as {f.PropertyPath})");
                    for (int i = 0; i < r.Alternatives.Count; i++)
                        resolvedSomewhere[(r.Declared, r.Text, i)] = resolvedSomewhere.GetValueOrDefault((r.Declared, r.Text, i)) || r.Alternatives[i].Field is not null;
                }
        var unresolved = resolvedSomewhere.Where(kv => !kv.Value).Select(kv => $"{kv.Key.Declared}: '{kv.Key.Text}' (alternative {kv.Key.Alternative + 1})").ToList();
        Assert.True(unresolved.Count == 0, $"conditions that name no field of any config: {string.Join("; ", unresolved)}");
        Assert.True(resolvedSomewhere.Select(kv => kv.Key.Declared).Distinct().Count() >= 35, "the declared requirements went missing");
    }

    private sealed record Declaring : IConfigRecord
    {
        [Option("The optimizer.", OneOf = typeof(OptimizerFactory))]
        public string Optimizer { get; init; } = "sgd";

        [Option("A count.")]
        public int Count { get; init; }

        public void Validate() { }
    }

    private sealed record UnknownValue : IConfigRecord
    {
        public Declaring Inner { get; init; } = new();
        [Option("X.", Requires = ["Inner.Optimizer=sgdd"])] public double X { get; init; }
        public void Validate() { }
    }

    private sealed record NotANumber : IConfigRecord
    {
        public Declaring Inner { get; init; } = new();
        [Option("X.", Requires = ["Inner.Optimizer>0"])] public double X { get; init; }
        public void Validate() { }
    }

    private sealed record Malformed : IConfigRecord
    {
        [Option("X.", Requires = ["count >= 2"])] public double X { get; init; }
        public void Validate() { }
    }

    private sealed record Misspelt : IConfigRecord
    {
        public Declaring Inner { get; init; } = new();
        [Option("X.", Requires = ["Inner.Optimiser=sgd"])] public double X { get; init; }
        public void Validate() { }
    }

    [Fact]
    public void Given_a_declaration_with_a_value_its_field_never_takes_Then_the_schema_refuses_it_naming_the_declaration() =>
        Assert.Contains("UnknownValue.X", Assert.Throws<InvalidOperationException>(() => ConfigSchema.Of<UnknownValue>()).Message);

    [Fact]
    public void Given_a_declaration_asking_a_name_for_a_number_Then_the_schema_refuses_it() =>
        Assert.Contains("not a number", Assert.Throws<InvalidOperationException>(() => ConfigSchema.Of<NotANumber>()).Message);

    [Fact]
    public void Given_a_malformed_declaration_Then_the_schema_refuses_it() =>
        Assert.Contains("count >= 2", Assert.Throws<InvalidOperationException>(() => ConfigSchema.Of<Malformed>()).Message);

    [Fact]
    public void Given_a_misspelt_field_Then_it_resolves_to_nothing_which_the_enumeration_test_refuses()
    {
        var r = ConfigSchema.Of<Misspelt>().Find("X")!.Requirements.Single();
        Assert.Null(r.Alternatives.Single().Field);
    }

    [Fact]
    public void Given_a_name_Then_it_resolves_from_the_declaring_record_outward()
    {
        // Methods is the study's; the dense recipe's mask schedule names it from two records down.
        var f = ConfigSchema.Of<SparseLab.Studies.GapStudyConfig>().Find("Train.MaskSchedule.DropFraction")!;
        var alternatives = f.Requirements.Single().Alternatives;
        Assert.Equal(new[] { "Train.MaskSchedule.Kind", "Methods" }, alternatives.Select(a => a.Field!.PropertyPath));
        Assert.Null(ConfigSchema.Of<TrainConfig>().Find("MaskSchedule.DropFraction")!.Requirements.Single().Alternatives[1].Field);
    }

    [Theory]
    [InlineData("Optimizer=sgd", "sgd", true)]
    [InlineData("Optimizer=adam|adamw", "sgd", false)]
    [InlineData("Optimizer!=sgd", "adam", true)]
    [InlineData("Criterion=sparsegpt", "sparsegpt:2:4", true)]     // a name matches its parameterized forms
    [InlineData("Criterion=sparsegpt", "sparsegptx", false)]
    [InlineData("Criterion=wanda|sparsegpt", "nm:2:4", false)]
    [InlineData("Score", null, false)]
    [InlineData("Score", "loss", true)]
    [InlineData("Score=el2n", null, false)]
    [InlineData("Pacing!=fixed-exp", null, true)]
    public void Given_a_condition_on_a_name_Then_it_holds_as_the_grammar_says(string text, string? value, bool holds) =>
        Assert.Equal(holds, Condition.Parse(text).HoldsFor(value));

    [Fact]
    public void Given_conditions_on_numbers_switches_and_lists_Then_they_hold_as_the_grammar_says()
    {
        Assert.True(Condition.Parse("LabelNoise>0").HoldsFor(0.1));
        Assert.False(Condition.Parse("LabelNoise>0").HoldsFor(0.0));
        Assert.False(Condition.Parse("PathPoints>0").HoldsFor(null));
        Assert.True(Condition.Parse("PathPoints>0").HoldsFor(29));
        Assert.True(Condition.Parse("Curvature").HoldsFor(true));
        Assert.False(Condition.Parse("Curvature").HoldsFor(false));
        Assert.False(Condition.Parse("LabelNoise").HoldsFor(0.0));
        Assert.True(Condition.Parse("Methods=set|rigl").HoldsFor(new[] { "finetune", "scratch", "rigl" }));
        Assert.False(Condition.Parse("Methods=set|rigl").HoldsFor(new[] { "finetune", "scratch" }));
        Assert.False(Condition.Parse("Sparsities").HoldsFor(Array.Empty<double>()));
        Assert.True(Condition.Parse("Nesterov=true").HoldsFor(true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("optimizer=sgd")]
    [InlineData("Optimizer=")]
    [InlineData("Optimizer=a||b")]
    [InlineData("Count>x")]
    [InlineData("Count<2")]
    public void Given_a_condition_outside_the_grammar_Then_it_does_not_parse(string text) =>
        Assert.Throws<InvalidOperationException>(() => Condition.Parse(text));
}
