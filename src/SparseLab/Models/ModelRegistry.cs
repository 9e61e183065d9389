// Name -> factory for every architecture SparseLab trains, with the checks on
// the model spec (known name, positive width, supported input shape).
using SparseLab.Foundations;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

public static class ModelRegistry
{
    /// <summary>The character-level language model (Models/Gpt.cs): trained on text datasets, every other model on images.</summary>
    public const string LanguageModel = "gpt";

    /// <summary>The denoising U-Net (Models/UNet.cs): trained by --task diffusion on images.</summary>
    public const string Denoiser = "unet";

    private static readonly int[] SupportedSides = [28, 32];

    private static readonly Dictionary<string, Func<ModelSpec, Module<Tensor, Tensor>>> Factories =
        new(StringComparer.Ordinal)
        {
            ["mlp"] = spec => new Mlp(spec),
            // LeNet-300-100 eight times wider (784-2400-800-10): where sparse kernels have work to save.
            ["mlp-wide"] = spec => new Mlp(spec with { WidthMultiplier = spec.WidthMultiplier * 8 }),
            ["lenet5"] = spec => new LeNet5(spec),
            ["resnet20"] = spec => new CifarResNet(spec, 20),
            ["resnet32"] = spec => new CifarResNet(spec, 32),
            ["resnet56"] = spec => new CifarResNet(spec, 56),
            ["vgg11"] = spec => new Vgg(spec, 11),
            ["vgg16"] = spec => new Vgg(spec, 16),
            [LanguageModel] = spec => new Gpt(spec.Gpt ?? new GptConfig()),
            // A denoiser's input shape holds the timestep's plane beside the image's channels (Diffusion/DiffusionInput).
            [Denoiser] = spec => new UNet(spec with { InChannels = spec.InChannels - 1 }),
        };

    /// <summary>The architecture names <see cref="Create"/> accepts.</summary>
    public static NameSet Names { get; } = new([.. Factories.Keys]);

    /// <summary>The image classifiers: every architecture but the language model and the denoiser.</summary>
    public static NameSet Classifiers { get; } = new([.. Factories.Keys.Where(n => n != LanguageModel && n != Denoiser)]);

    /// <summary>The models that predict the noise in an image (--task diffusion).</summary>
    public static NameSet Denoisers { get; } = new([Denoiser]);

    /// <summary>
    /// Builds and initializes the model; weights depend only on the global torch
    /// seed at the time of the call.
    /// </summary>
    /// <exception cref="InvalidOptionException">Unknown name, width multiplier not positive, or unsupported input shape or class count.</exception>
    public static Module<Tensor, Tensor> Create(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        var model = Factories[spec.Name](spec);
        if (spec.Name != LanguageModel) Initialization.Apply(model, spec.Init);   // the GPT initializes itself as GPT-2
        return model;
    }

    private static void Validate(ModelSpec spec)
    {
        if (spec.Name is null || !Factories.ContainsKey(spec.Name))
            throw ConfigError.Of(nameof(ModelConfig.Name), $"'{spec.Name}' is not known; use one of: {Names.Describe()}");
        bool text = spec.Tokens > 0;
        if (spec.Name == LanguageModel || text)
        {
            if (spec.Name != LanguageModel)
                throw new InvalidOptionException($"model '{spec.Name}' is an image classifier and the dataset is text; use --model {LanguageModel}, or an image dataset");
            if (!text)
                throw new InvalidOptionException($"model '{LanguageModel}' is a language model and the dataset is images; use --dataset fortunes or --dataset text --text FILE");
            int block = spec.Gpt?.BlockSize ?? new GptConfig().BlockSize;
            if (spec.Tokens > block)
                throw new InvalidOptionException($"sequences of {spec.Tokens} tokens are longer than the model's block size {block}");
            return;
        }
        if (!(spec.WidthMultiplier > 0) || double.IsInfinity(spec.WidthMultiplier))
            throw ConfigError.Of(nameof(ModelConfig.Width), $"{spec.WidthMultiplier} is not valid for model '{spec.Name}'; use a positive number such as 1.0");
        if (spec.InChannels < 1 || !SupportedSides.Contains(spec.Height) || !SupportedSides.Contains(spec.Width))
            throw new InvalidOptionException(
                $"input {spec.InChannels}x{spec.Height}x{spec.Width} is not supported by model '{spec.Name}'; use C x 28 x 28 or C x 32 x 32 (C >= 1), e.g. 1x28x28 or 3x32x32");
        if (spec.NumClasses < 2 && spec.Name != Denoiser)   // a denoiser's output is an image
            throw new InvalidOptionException(
                $"{spec.NumClasses} classes is not valid for model '{spec.Name}'; a classifier needs at least 2");
    }
}
