// `sparselab generate`: text from a trained language model (a gpt run folder,
// dense, pruned or finetuned), printed to stdout.
using SparseLab.Cli.Options;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Training;
using TorchSharp;

namespace SparseLab.Cli.Commands;

public sealed class GenerateCommand : CliCommand<GenerateCommand.Options>
{
    public sealed record Options
    {
        public RunCheckpoint Source { get; init; } = new();

        [Option("The text the sample continues (UTF-8, taken as typed: a trailing space counts); default a newline, where every fortune starts.", Value = "TEXT", Verbatim = true)]
        public string Prompt { get; init; } = "\n";

        [Option("Bytes (tokens) to generate.")]
        public int Tokens { get; init; } = 300;

        [Option("Softmax temperature: below 1 safer, above 1 wilder; 0 is greedy (always the likeliest byte).", Value = "T")]
        public double Temperature { get; init; } = 0.8;

        [Option("Sample only among the K likeliest bytes (0: all of them).", Value = "K")]
        public int TopK { get; init; }

        [Option("Seed of the sampling: the same seed gives the same text.")]
        public long Seed { get; init; } = 1;
    }

    public override string Path => "generate";
    public override string Description => "Print text sampled from a trained language model (a --model gpt run): the prompt, then --tokens bytes.";
    public override IReadOnlyList<string> Examples => ["generate --run runs/gpt --prompt \"The \" --tokens 200 --temperature 0.8 --top-k 40 --seed 1"];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Section(s.Source, nameof(Options.Source));
        var sampling = new SamplingOptions(s.Tokens, s.Temperature, s.TopK, s.Seed);
        sampling.Validate();
        Check.That(s.Prompt.Length > 0, nameof(Options.Prompt), "is empty; give at least one character (the default is a newline)");
        using var saved = SavedRun.Open(s.Source.Run!, s.Source.Checkpoint);
        Check.That(saved.Config.Model.Name == ModelRegistry.LanguageModel, $"{ConfigError.Field("Source.Run")} '{s.Source.Run}' trained {saved.Config.Model.Name}, an image classifier; generate needs a --model gpt run");
        var device = TorchRuntime.ResolveDevice(saved.Config.Runtime.Device);
        saved.Model.to(device);
        byte[] prompt = System.Text.Encoding.UTF8.GetBytes(s.Prompt);
        byte[] text = TextSampler.Continue(saved.Model, prompt, saved.Config.Model.BlockSize, sampling, device);
        Console.Out.Write(s.Prompt);
        Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(text));   // a cut-off multi-byte character prints as U+FFFD
        return 0;
    }
}
