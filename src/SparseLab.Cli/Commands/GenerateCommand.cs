// `sparselab generate`: text from a trained language model (a gpt run folder,
// dense, pruned or finetuned), printed to stdout; or images from a trained
// denoiser (a --task diffusion run), DDIM-sampled into a PNG grid.
using SparseLab.Cli.Options;
using SparseLab.Data;
using SparseLab.Diffusion;
using SparseLab.Training.Tasks;
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

        [Option("Seed of the sampling: the same seed gives the same text, or the same starting noise and images.")]
        public long Seed { get; init; } = 1;

        [Option("Diffusion runs: images to sample into the grid.", Value = "N")]
        public int Images { get; init; } = 64;

        [Option("Diffusion runs: the PNG grid to write.", Value = "FILE", IsPath = true)]
        public string? Out { get; init; }

        [Option("Diffusion runs: DDIM steps (Song et al. 2021, deterministic), 1..the run's --diffusion-steps.", Value = "S")]
        public int SampleSteps { get; init; } = 50;

        [Option("Diffusion runs: clip each DDIM step's estimate of x_0 to the pixel range (default: as the run was scored).")]
        public bool? ClipEachStep { get; init; }

        [Option("Diffusion runs: also print the images' Fréchet LeNet distance to as many test images, beside its references (the training images, a pixel Gaussian); needs more than 84 images.")]
        public bool Score { get; init; }
    }

    private static readonly string[] TextOptions = [nameof(Options.Prompt), nameof(Options.Tokens), nameof(Options.Temperature), nameof(Options.TopK)];
    private static readonly string[] ImageOptions =
        [nameof(Options.Images), nameof(Options.Out), nameof(Options.SampleSteps), nameof(Options.ClipEachStep), nameof(Options.Score)];

    public override string Path => "generate";
    public override string Description => "Print text sampled from a trained language model (a --model gpt run): the prompt, then --tokens bytes; or write a PNG grid of images sampled from a --task diffusion run.";
    public override IReadOnlyList<string> Examples =>
    [
        "generate --run runs/gpt --prompt \"The \" --tokens 200 --temperature 0.8 --top-k 40 --seed 1",
        "generate --run runs/unet --images 64 --sample-steps 50 --out grid.png",
    ];
    protected override Options Defaults => new();

    protected override int Execute(Bound<Options> bound)
    {
        var s = bound.Value;
        Check.Section(s.Source, nameof(Options.Source));
        using var saved = SavedRun.Open(s.Source.Run!, s.Source.Checkpoint);
        bool images = TaskRegistry.For(saved.Config) is DiffusionTask;
        string kind = images ? "a diffusion run, which samples images" : "a language model's run, which samples text";
        foreach (var option in images ? TextOptions : ImageOptions)
            Check.That(!bound.Sources.ContainsKey(option), option, $"does not apply to '{s.Source.Run}', {kind}");
        return images ? Images(s, saved) : Text(s, saved);
    }

    private static int Images(Options s, SavedRun saved)
    {
        Check.That(s.Out is not null, nameof(Options.Out), "is needed: the PNG file to write the grid to");
        Check.That(s.Images is >= 1 and <= 4096, nameof(Options.Images), $"must be in 1..4096, got {s.Images}");
        DdimSampler.Steps(s.SampleSteps, saved.Config.Diffusion.Noise.Steps);   // refuses 0 or more than the run's T
        var device = TorchRuntime.ResolveDevice(saved.Config.Runtime.Device);
        saved.Model.to(device);
        var image = DatasetShapes.Of(saved.Config.Data.Dataset, 0);
        using var generator = new torch.Generator((ulong)s.Seed);
        using var noise = torch.randn([s.Images, image.Channels, image.Height, image.Width], generator: generator);
        bool clip = s.ClipEachStep ?? saved.Config.Diffusion.ClipEachStep;
        using var data = s.Score ? DiffusionData.Load(saved.Config with { Diffusion = saved.Config.Diffusion with { FidImages = 0 } }) : null;
        data?.CheckScorable(s.Images, nameof(Options.Images));   // before sampling
        using var samples = DdimSampler.Sample(saved.Model, noise.to(device), saved.Config.Diffusion.Noise, s.SampleSteps, clipEachStep: clip);
        using var cpu = samples.cpu();
        var score = data is null ? null : Rendering.ConsoleObserver.Run(observer => data.Score(cpu, observer));
        ImageGrid.Write(s.Out!, cpu);
        Console.WriteLine($"wrote {s.Images} images ({s.SampleSteps} DDIM steps{(clip ? ", clipped at each step" : "")}, seed {s.Seed}) to {s.Out}");
        if (score is not null)
            Console.WriteLine($"frechet_lenet: {score.Distance:F3}; references: {score.Floor:F3} the training images (the floor), " +
                $"{score.Gaussian:F3} a Gaussian fitted to the training pixels; the LeNet-5 features' test accuracy {score.ClassifierAccuracy:F4}");
        return 0;
    }

    private static int Text(Options s, SavedRun saved)
    {
        var sampling = new SamplingOptions(s.Tokens, s.Temperature, s.TopK, s.Seed);
        sampling.Validate();
        Check.That(s.Prompt.Length > 0, nameof(Options.Prompt), "is empty; give at least one character (the default is a newline)");
        Check.That(saved.Config.Model.Name == ModelRegistry.LanguageModel, $"{ConfigError.Field("Source.Run")} '{s.Source.Run}' trained {saved.Config.Model.Name}, an image classifier; generate needs a --model gpt run or a --task diffusion run");
        var device = TorchRuntime.ResolveDevice(saved.Config.Runtime.Device);
        saved.Model.to(device);
        byte[] prompt = System.Text.Encoding.UTF8.GetBytes(s.Prompt);
        byte[] text = TextSampler.Continue(saved.Model, prompt, saved.Config.Model.BlockSize, sampling, device);
        Console.Out.Write(s.Prompt);
        Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(text));   // a cut-off multi-byte character prints as U+FFFD
        return 0;
    }
}
