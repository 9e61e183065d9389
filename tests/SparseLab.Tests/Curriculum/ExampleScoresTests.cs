// Score files: cached scores reload bit-identically, and a file for other data is refused.
using SparseLab.Curriculum;
using SparseLab.Foundations;

namespace SparseLab.Tests.Curriculum;

public sealed class ExampleScoresTests
{
    [Fact]
    public void Given_saved_scores_Then_they_reload_bit_identically()
    {
        using var dir = new TempDir();
        var rng = new Random(11);
        double[] scores = [.. Enumerable.Range(0, 1000).Select(i => Math.Exp(rng.NextDouble() * 80 - 40) * (i % 7 == 0 ? 1e-300 : 1)), double.Epsilon, 0.1 + 0.2];
        long[] labels = [.. scores.Select((_, i) => (long)(i % 10))];
        new ExampleScores(scores, labels).Save(dir.Combine("s.csv"));
        var back = ExampleScores.Load(dir.Combine("s.csv"), labels);
        Assert.Equal(scores.Select(BitConverter.DoubleToInt64Bits), back.Scores.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Given_a_file_of_the_wrong_length_Then_it_is_refused_saying_so()
    {
        using var dir = new TempDir();
        new ExampleScores([1, 2, 3], [0, 1, 2]).Save(dir.Combine("s.csv"));
        var e = Assert.Throws<DataException>(() => ExampleScores.Load(dir.Combine("s.csv"), [0L, 1, 2, 3]));
        Assert.Contains("3 rows but the training set has 4", e.Message);
    }

    [Fact]
    public void Given_a_file_whose_labels_differ_Then_it_is_refused_as_scored_on_other_data()
    {
        using var dir = new TempDir();
        new ExampleScores([1, 2, 3], [0, 1, 2]).Save(dir.Combine("s.csv"));
        var e = Assert.Throws<DataException>(() => ExampleScores.Load(dir.Combine("s.csv"), [0L, 1, 5]));
        Assert.Contains("another dataset", e.Message);
    }

    [Fact]
    public void Given_the_fisher_commands_csv_Then_a_named_column_is_read_and_an_ambiguous_one_refused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("f.csv"), "index,label,true,empirical,last_layer\n1,1,0.5,0.25,0.125\n0,3,1.5,1.25,1.125\n");
        var s = ExampleScores.Load(dir.Combine("f.csv"), [3L, 1], "empirical");
        Assert.Equal([1.25, 0.25], s.Scores);
        Assert.Throws<DataException>(() => ExampleScores.Load(dir.Combine("f.csv"), [3L, 1]));
    }
}
