// A byte-level (UTF-8) text corpus for character-level language models: the
// bytes of the text, split deterministically into training (the first 90 %)
// and validation (the last 10 %), and seeded random windows of block + 1
// bytes — the inputs and, shifted by one, the next-byte targets (the setup of
// Karpathy's char-rnn and nanoGPT's shakespeare_char, with bytes for
// characters so any UTF-8 text works with a vocabulary of 256).
// `fortunes` is Debian's fortunes package: the %-separated files under
// /usr/share/games/fortunes, in name order, separators removed.
using SparseLab.Foundations;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Data;

public sealed class TextCorpus
{
    public const int Vocabulary = 256;
    public const double ValidationFraction = 0.1;
    public const string FortunesDir = "/usr/share/games/fortunes";
    private const string FortunesHint = "install it with: sudo apt-get install fortunes, or pass --dataset text --text FILE";

    private TextCorpus(string name, byte[] train, byte[] validation) => (Name, Train, Validation) = (name, train, validation);

    public string Name { get; }
    public byte[] Train { get; }
    public byte[] Validation { get; }

    /// <summary>Debian's fortunes: every text file in <paramref name="dir"/> (not the .dat indexes or .u8 links), in name order, without the % separator lines.</summary>
    public static TextCorpus Fortunes(int blockSize, string dir = FortunesDir)
    {
        if (!Directory.Exists(dir)) throw new DataException($"dataset fortunes: {dir} does not exist; {FortunesHint}");
        var files = Directory.GetFiles(dir)
            .Where(f => Path.GetExtension(f).Length == 0 && (File.GetAttributes(f) & FileAttributes.ReparsePoint) == 0)
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DataException($"dataset fortunes: {dir} holds no fortune files; {FortunesHint}");
        var text = new System.Text.StringBuilder();
        foreach (var file in files)
            foreach (var line in File.ReadLines(file))
                if (line != "%") text.Append(line).Append('\n');
        return FromBytes("fortunes", System.Text.Encoding.UTF8.GetBytes(text.ToString()), blockSize);
    }

    /// <summary>A UTF-8 text file of the user's.</summary>
    public static TextCorpus FromFile(string path, int blockSize)
    {
        if (!File.Exists(path)) throw new DataException($"text file '{path}' does not exist");
        return FromBytes(Path.GetFileName(path), File.ReadAllBytes(path), blockSize, path);
    }

    /// <summary>Checks the text (not empty, not binary, at least two blocks in each split) and splits it.</summary>
    public static TextCorpus FromBytes(string name, byte[] bytes, int blockSize, string? source = null)
    {
        string what = source is null ? $"corpus '{name}'" : $"text file '{source}'";
        if (blockSize < 1) throw ConfigError.Of("Data.BlockSize", $"{blockSize} is not a block size; use a positive number of tokens such as 128");
        if (bytes.Length == 0) throw new DataException($"{what} is empty");
        int nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0) throw new DataException($"{what} is binary (a zero byte at offset {nul}), not text");
        try { new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes); }
        catch (System.Text.DecoderFallbackException e) { throw new DataException($"{what} is not UTF-8 text ({e.Message})"); }
        int validation = (int)(bytes.Length * ValidationFraction);
        int needed = 2 * (blockSize + 1);
        if (validation < needed)
            throw new DataException($"{what} has {bytes.Length} bytes: too short for block size {blockSize}, whose validation split ({ValidationFraction:P0}) needs two windows of {blockSize + 1} bytes; use a longer text (at least {(int)Math.Ceiling(needed / ValidationFraction)} bytes) or a smaller block size");
        return new TextCorpus(name, bytes[..^validation], bytes[^validation..]);
    }

    /// <summary>
    /// <paramref name="batch"/> windows of the split starting at seeded random offsets: inputs (B, T) and next-byte
    /// targets (B, T), int64. The offsets depend only on (seed, step), so a resumed run draws the same batches.
    /// </summary>
    public static (Tensor Inputs, Tensor Targets) Windows(byte[] split, int batch, int blockSize, long seed, long step)
    {
        // System.Random(int) is the same sequence in every process (HashCode is not: it is seeded per process).
        var rng = new Random((int)(SeedMix.Mix(seed, step, 0x7e47) & int.MaxValue));
        int starts = split.Length - blockSize;
        return Gather(split, [.. Enumerable.Range(0, batch).Select(_ => rng.Next(starts))], blockSize);
    }

    /// <summary>
    /// Fixed evaluation windows: up to <paramref name="count"/> non-overlapping windows spread evenly over the split
    /// (all of them when it holds fewer), the same in every run.
    /// </summary>
    public static int[] EvaluationStarts(byte[] split, int blockSize, int count)
    {
        int available = (split.Length - 1) / blockSize;
        int n = Math.Min(count, available);
        return [.. Enumerable.Range(0, n).Select(i => (int)((long)i * available / n) * blockSize)];
    }

    /// <summary>The windows starting at <paramref name="starts"/>: inputs and next-byte targets (B, T), int64.</summary>
    public static (Tensor Inputs, Tensor Targets) Gather(byte[] split, IReadOnlyList<int> starts, int blockSize)
    {
        var x = new long[starts.Count * blockSize];
        var y = new long[starts.Count * blockSize];
        for (int b = 0; b < starts.Count; b++)
            for (int t = 0; t < blockSize; t++)
            {
                x[b * blockSize + t] = split[starts[b] + t];
                y[b * blockSize + t] = split[starts[b] + t + 1];
            }
        return (torch.tensor(x, [starts.Count, blockSize]), torch.tensor(y, [starts.Count, blockSize]));
    }

    /// <summary>
    /// Bits per byte of a unigram model of the training split (byte frequencies, add-one smoothed) on the
    /// validation split: the baseline a language model must beat.
    /// </summary>
    public double UnigramBitsPerByte()
    {
        var counts = new double[Vocabulary];
        foreach (byte b in Train) counts[b]++;
        double total = Train.Length + Vocabulary;
        double bits = 0;
        foreach (byte b in Validation) bits -= Math.Log2((counts[b] + 1) / total);
        return bits / Validation.Length;
    }
}
