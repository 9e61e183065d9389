// A data curriculum on a language model (Curriculum/CurriculumExamples): the
// examples are the windows that tile the training text (window i at byte
// i·block), scored per window — the loss against a hand computation of the
// mean next-byte cross-entropy, the Fisher scores as SequenceFisher's on the
// same windows — and a curriculum's rows become exactly those windows in the
// batches; a single run and `study curriculum` run on text, image-only scores
// and methods are refused by name.
using System.Text.Json.Nodes;
using SparseLab.Curriculum;
using SparseLab.Data;
using SparseLab.Information;
using SparseLab.Models;
using SparseLab.Training;
using SparseLab.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.LanguageModels;

public sealed class TextCurriculumTests
{
    private static nn.Module<Tensor, Tensor> TinyGpt()
    {
        torch.manual_seed(9);
        return ModelRegistry.Create(ModelSpec.For(new ModelConfig { Name = "gpt", NLayer = 1, NHead = 2, NEmbd = 16, BlockSize = 8 }, InputShape.Text(8)));
    }

    private static readonly byte[] Text = System.Text.Encoding.ASCII.GetBytes(TinyTextRun.English(300));

    [Fact]
    public void GivenAText_ThenItsExamplesAreTheTilingWindowsAndTheirLossScoresAreTheMeanNextByteCrossEntropy()
    {
        using var model = TinyGpt();
        var examples = CurriculumExamples.Of(Text, 8);
        Assert.Equal((Text.Length - 1) / 8, examples.Count);
        Assert.All(examples.Labels, l => Assert.Equal(0, l));
        var scores = examples.Score("loss", model, null, batchSize: 5, draws: 1, seed: 1, CPU);
        model.eval();
        using var _ = torch.no_grad();
        for (int i = 0; i < examples.Count; i += 7)
        {
            var window = Text.Skip(i * 8).Take(9).Select(b => (long)b).ToArray();
            using var logits = model.call(torch.tensor(window[..8], [1, 8]))[0].to(ScalarType.Float64);   // (T, V)
            var logp = logits.log_softmax(1).data<double>().ToArray();
            double expected = -Enumerable.Range(0, 8).Average(t => logp[t * 256 + (int)window[t + 1]]);
            Assert.Equal(expected, scores[i], 5);
        }
    }

    [Fact]
    public void GivenFisherScores_ThenTheyAreSequenceFishersOnTheSameWindows()
    {
        using var model = TinyGpt();
        var examples = CurriculumExamples.Of(Text, 8);
        var scores = examples.Score("fisher-empirical", model, null, batchSize: 6, draws: 1, seed: 3, CPU);
        var (starts, _, empirical) = SequenceFisher.Scores(model, Text, 8, null, new FisherOptions((int)examples.Count, 1, 6, 3), CPU);
        Assert.Equal(Enumerable.Range(0, (int)examples.Count).Select(i => i * 8), starts);
        Assert.Equal(empirical, scores);
        Assert.Throws<ArgumentException>(() => examples.Score("el2n", model, null, 6, 1, 3, CPU));
    }

    [Fact]
    public void GivenACurriculumsRows_WhenTextDataBatches_ThenEachRowIsTheWindowAtRowTimesBlock()
    {
        var data = new TextData(TextCorpus.FromBytes("t", System.Text.Encoding.ASCII.GetBytes(TinyTextRun.English(4000)), 8), 8);
        var plan = new FixedRows([3, 0, 11]);
        var (x, y) = data.Batch(3, seed: 1, epoch: 0, index: 0, step: 0, CPU, plan);
        var train = data.Corpus.Train;
        long[] rows = [3, 0, 11];
        for (int b = 0; b < 3; b++)
            for (int t = 0; t < 8; t++)
            {
                Assert.Equal(train[rows[b] * 8 + t], x[b, t].item<long>());
                Assert.Equal(train[rows[b] * 8 + t + 1], y[b, t].item<long>());
            }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void GivenAGpt_WhenTheCurriculumStudyRuns_ThenItsArmsAreScoredPerWindowAndImageOnlyArmsAreLeftOut()
    {
        using var dir = new TempDir();
        string text = dir.Combine("corpus.txt");
        File.WriteAllText(text, TinyTextRun.English(20_000));
        string outDir = dir.Combine("study");
        var r = Cli.CliRunner.Run(["study", "curriculum", .. TinyTextRun.Model, "--text", text, "--steps", "30", "--sparsities", "0.8", "--seeds", "2",
            "--points", "0", "--fisher-samples", "8", "--out", outDir]);
        Assert.True(r.ExitCode == 0, r.Err);
        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "study.json")))!;
        var methods = study["rows"]!.AsArray().Select(x => (string?)x!["method"]).Distinct().ToList();
        Assert.Contains("curriculum", methods);
        Assert.DoesNotContain("el2n-curriculum", methods);                          // EL2N scores a class distribution: left out of a text's defaults
        Assert.NotEmpty(study["gap_closed"]!.AsArray());
        Assert.Contains("## Curriculum arms: gap closed and cost", File.ReadAllText(Path.Combine(outDir, "report.md")));
        int bytes = File.ReadAllBytes(text).Length, train = bytes - (int)(bytes * TextCorpus.ValidationFraction);
        var scoreFile = Directory.GetFiles(outDir, "scores-*.csv", SearchOption.AllDirectories).First();
        Assert.Equal(1 + (train - 1) / 32, File.ReadAllLines(scoreFile).Length);     // a header and one line per window of 32 bytes
    }

    private sealed class FixedRows(long[] rows) : IBatchPlan
    {
        public void Begin(TrainingContext context) { }
        public long[] Rows(long step) => rows;
    }
}
