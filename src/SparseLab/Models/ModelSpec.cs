// What to build: an architecture name, the input shape (C, H, W), the class
// count and a width multiplier that scales every layer's channel count.
namespace SparseLab.Models;

/// <summary>A model to build: architecture name, input shape (C, H, W), class count and width multiplier.</summary>
/// <param name="Gpt">The transformer's shape, for the language model (Name "gpt"); the input shape is then a token sequence.</param>
public sealed record ModelSpec(string Name, int InChannels, int Height, int Width, int NumClasses, double WidthMultiplier = 1.0,
    string Init = Initialization.Default, GptConfig? Gpt = null, int Tokens = 0)
{
    /// <summary>The model a config names, for data of this shape.</summary>
    public static ModelSpec For(ModelConfig model, Data.InputShape input) =>
        new(model.Name, input.Channels, input.Height, input.Width, input.NumClasses, model.Width, model.Init,
            model.Name == ModelRegistry.LanguageModel ? model.Gpt : null, input.Tokens);
}
