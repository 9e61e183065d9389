// A tiny GPT trained once on a small English text through the CLI, shared by
// the language-model tests: 1 block, 2 heads, 32 dimensions, windows of 32
// bytes, 300 AdamW steps — seconds on one thread.
namespace SparseLab.Tests.LanguageModels;

public sealed class TinyTextRun : IDisposable
{
    /// <summary>The flags of every tiny GPT run; a test adds its own.</summary>
    public static readonly string[] Model =
        ["--model", "gpt", "--dataset", "text", "--n-layer", "1", "--n-head", "2", "--n-embd", "32", "--block-size", "32", "--batch-size", "16", "--threads", "1"];

    public TinyTextRun()
    {
        File.WriteAllText(TextFile, English(40_000));
        var r = Cli.CliRunner.Run(["train", .. Model, "--text", TextFile, "--steps", "300", "--lr", "0.003", "--out", Run]);
        Assert.True(r.ExitCode == 0, r.Err);
    }

    public TempDir Dir { get; } = new();
    public string TextFile => Dir.Combine("corpus.txt");
    public string Run => Dir.Combine("dense");

    /// <summary>About <paramref name="bytes"/> bytes of seeded sentences over a small vocabulary: English-like, learnable in a few steps.</summary>
    public static string English(int bytes)
    {
        string[] subjects = ["the cat", "a dog", "my friend", "the old man", "she", "he"];
        string[] verbs = ["sees", "likes", "eats", "finds", "wants"];
        string[] objects = ["the fish.", "a red ball.", "some bread.", "the green tree.", "an apple."];
        var rng = new Random(7);
        var text = new System.Text.StringBuilder();
        while (text.Length < bytes)
            text.Append(subjects[rng.Next(subjects.Length)]).Append(' ').Append(verbs[rng.Next(verbs.Length)]).Append(' ')
                .Append(objects[rng.Next(objects.Length)]).Append('\n');
        return text.ToString();
    }

    public void Dispose() => Dir.Dispose();
}
