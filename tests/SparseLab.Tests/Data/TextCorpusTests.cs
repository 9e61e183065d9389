// The byte-level text corpus (Data/TextCorpus.cs): the split, the windows and
// their next-byte targets, determinism, the unigram baseline against a hand
// count, Debian's fortunes, and every bad input with its message.
using SparseLab.Data;
using SparseLab.Foundations;

namespace SparseLab.Tests.Data;

public sealed class TextCorpusTests
{
    private static byte[] Text(int n) => System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, n).Select(i => (char)('a' + i % 26))))[..n];

    [Fact]
    public void Given_a_text_Then_the_last_tenth_is_validation_and_windows_are_inputs_with_next_byte_targets()
    {
        var corpus = TextCorpus.FromBytes("t", Text(1000), blockSize: 8);
        Assert.Equal(900, corpus.Train.Length);
        Assert.Equal(100, corpus.Validation.Length);
        var (x, y) = TextCorpus.Windows(corpus.Train, 4, 8, seed: 1, step: 7);
        Assert.Equal([4L, 8], x.shape);
        var xs = x.data<long>().ToArray();
        var ys = y.data<long>().ToArray();
        for (int b = 0; b < 4; b++)
            for (int t = 0; t < 7; t++) Assert.Equal(xs[b * 8 + t + 1], ys[b * 8 + t]);   // targets are the inputs shifted by one
        var again = TextCorpus.Windows(corpus.Train, 4, 8, seed: 1, step: 7);
        Assert.Equal(xs, again.Inputs.data<long>().ToArray());
        Assert.NotEqual(xs, TextCorpus.Windows(corpus.Train, 4, 8, seed: 1, step: 8).Inputs.data<long>().ToArray());
    }

    [Fact]
    public void Given_a_seed_Then_the_window_offsets_are_pinned_numbers_the_same_in_every_process()
    {
        // Pinned values: a seed derived with System.HashCode (seeded per process) would change them from run to run.
        var corpus = TextCorpus.FromBytes("t", Text(1000), blockSize: 8);
        var (x, _) = TextCorpus.Windows(corpus.Train, 4, 8, seed: 1, step: 7);
        var firsts = Enumerable.Range(0, 4).Select(b => (char)x[b, 0].item<long>()).ToArray();
        Assert.Equal("pjpr", new string(firsts));
    }

    [Fact]
    public void Given_a_split_Then_evaluation_windows_are_fixed_non_overlapping_and_spread_over_it()
    {
        byte[] split = Text(1000);
        Assert.Equal([0, 8, 16], TextCorpus.EvaluationStarts(Text(25), 8, 10));        // (25 − 1) / 8 = 3 windows fit
        var starts = TextCorpus.EvaluationStarts(split, 8, 10);
        Assert.Equal(10, starts.Length);
        Assert.All(starts.Zip(starts.Skip(1)), p => Assert.True(p.Second - p.First >= 8));
        Assert.True(starts[^1] + 8 < split.Length);
        Assert.True(starts[^1] > 800, "spread over the split, not its beginning");
    }

    [Fact]
    public void Given_a_two_letter_text_Then_the_unigram_baseline_is_the_hand_counted_cross_entropy()
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(new string('a', 270) + new string('b', 90) + new string('a', 20) + new string('b', 20));
        var corpus = TextCorpus.FromBytes("ab", bytes, blockSize: 4);   // train: 270 a, 90 b; validation: 20 a, 20 b
        double pa = (270 + 1) / (360.0 + 256), pb = (90 + 1) / (360.0 + 256);
        Assert.Equal(-(Math.Log2(pa) + Math.Log2(pb)) / 2, corpus.UnigramBitsPerByte(), 12);
    }

    [Fact]
    [Trait("Category", "Slow")]   // needs Debian's fortunes package, like the Fashion-MNIST tests need theirs
    public void Given_debians_fortunes_Then_the_corpus_is_megabytes_of_text_without_separators()
    {
        Assert.True(Directory.Exists(TextCorpus.FortunesDir), "Debian's fortunes package is not installed (apt-get install fortunes); .ci/run installs it");
        var corpus = TextCorpus.Fortunes(blockSize: 128);
        Assert.InRange(corpus.Train.Length + corpus.Validation.Length, 1_500_000, 4_000_000);
        string head = System.Text.Encoding.UTF8.GetString(corpus.Train[..20000]);
        Assert.DoesNotContain("\n%\n", head);
        Assert.InRange(corpus.UnigramBitsPerByte(), 4.0, 5.5);
    }

    [Theory]
    [InlineData("", 8, "is empty")]
    [InlineData("binary", 8, "is binary (a zero byte at offset 3)")]
    [InlineData("latin1", 8, "is not UTF-8 text")]
    [InlineData("short", 8, "too short for block size 8")]
    [InlineData("ok", 0, "0 is not a block size")]
    public void Given_bad_text_Then_a_clear_error(string kind, int block, string message)
    {
        byte[] bytes = kind switch
        {
            "" => [],
            "binary" => [65, 66, 67, 0, 68, .. Text(500)],
            "latin1" => [.. Text(500), 0xE9, .. Text(10)],
            "short" => Text(100),
            _ => Text(1000),
        };
        var e = Assert.ThrowsAny<SparseLabException>(() => TextCorpus.FromBytes("t", bytes, block));
        Assert.Contains(message, e.Message);
    }
}
