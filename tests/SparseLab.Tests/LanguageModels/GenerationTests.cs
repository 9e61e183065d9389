// Sampling from a GPT (Models/TextSampler.cs): greedy decoding equals an
// independent argmax loop over the growing sequence, top-k 1 is greedy at any
// temperature, the same seed gives the same text, and `generate` prints the
// prompt and its continuation.
using SparseLab.Models;
using SparseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.LanguageModels;

public sealed class GenerationTests(TinyTextRun tiny) : IClassFixture<TinyTextRun>
{
    [Fact]
    public void GivenTemperatureZero_ThenSamplingIsTheArgmaxOfEveryStepAndTopOneIsTheSame()
    {
        using var saved = SavedRun.Open(tiny.Run);
        byte[] prompt = "the c"u8.ToArray();
        var greedy = TextSampler.Continue(saved.Model, prompt, 32, new SamplingOptions(Tokens: 40, Temperature: 0), CPU);

        var tokens = prompt.Select(b => (long)b).ToList();   // the naive loop: the whole window, argmax of the last position
        saved.Model.eval();
        using (torch.no_grad())
            for (int i = 0; i < 40; i++)
            {
                var context = tokens.TakeLast(32).ToArray();
                using var logits = saved.Model.call(torch.tensor(context, [1, context.Length]));
                tokens.Add(logits[0, context.Length - 1].argmax().item<long>());
            }
        Assert.Equal(tokens.Skip(prompt.Length).Select(t => (byte)t).ToArray(), greedy);
        Assert.Equal(greedy, TextSampler.Continue(saved.Model, prompt, 32, new SamplingOptions(Tokens: 40, Temperature: 1.5, TopK: 1), CPU));
    }

    [Fact]
    public void GivenASeed_ThenTheSampleIsReproducibleAndAnotherSeedDiffers()
    {
        using var saved = SavedRun.Open(tiny.Run);
        byte[] prompt = "\n"u8.ToArray();
        byte[] Sample(long seed) => TextSampler.Continue(saved.Model, prompt, 32, new SamplingOptions(Tokens: 60, Temperature: 1.0, TopK: 20, Seed: seed), CPU);
        Assert.Equal(Sample(3), Sample(3));
        Assert.NotEqual(Sample(3), Sample(4));
    }

    [Fact]
    public void GivenAGptRun_WhenGenerating_ThenThePromptAndTheContinuationArePrinted()
    {
        var r = Cli.CliRunner.Run("generate", "--run", tiny.Run, "--prompt", "the dog ", "--tokens", "50", "--seed", "5");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.StartsWith("the dog ", r.Out);
        Assert.True(r.Out.TrimEnd('\n').Length >= "the dog ".Length + 40, r.Out);   // 50 bytes, some possibly a cut multi-byte character
        Assert.Equal(r.Out, Cli.CliRunner.Run("generate", "--run", tiny.Run, "--prompt", "the dog ", "--tokens", "50", "--seed", "5").Out);
    }
}
