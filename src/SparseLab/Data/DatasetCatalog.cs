// The datasets SparseLab knows by name: where their files live, their constants, and the train/val/test split.
using SparseLab.Foundations;

namespace SparseLab.Data;

public static class DatasetCatalog
{
    private const string FashionMnistHint =
        "install it with: sudo apt-get install dataset-fashion-mnist, or put the four IDX files there, " +
        "or pass --data-dir DIR / set SPARSELAB_DATA";
    private const string MnistHint =
        "put the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, " +
        "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; gzipped or not) there, " +
        "or pass --data-dir DIR / set SPARSELAB_DATA";

    // Mean and std per channel on pixels scaled to [0, 1], as commonly used for each dataset.
    private static readonly Dictionary<string, Entry> Registry = new()
    {
        ["fashion-mnist"] = new(
            new DatasetInfo("fashion-mnist", 1, 28, 28, 10, [0.2860f], [0.3530f], Augment: false),
            (name, dir, train) => IdxReader.ReadSplit(name, dir, train, 10, FashionMnistHint)),
        ["mnist"] = new(
            new DatasetInfo("mnist", 1, 28, 28, 10, [0.1307f], [0.3081f], Augment: false),
            (name, dir, train) => IdxReader.ReadSplit(name, dir, train, 10, MnistHint)),
        ["cifar10"] = new(
            new DatasetInfo("cifar10", 3, 32, 32, 10, [0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f], Augment: true),
            (name, dir, train) => CifarReader.ReadSplit(name, dir, cifar100: false, train)),
        ["cifar100"] = new(
            new DatasetInfo("cifar100", 3, 32, 32, 100, [0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f], Augment: true),
            (name, dir, train) => CifarReader.ReadSplit(name, dir, cifar100: true, train)),
        ["synthetic"] = new(
            new DatasetInfo("synthetic", 1, SyntheticDataset.Side, SyntheticDataset.Side, SyntheticDataset.Classes, [0.5f], [0.5f], Augment: false),
            (name, _, train) => SyntheticDataset.Generate(name, train)),
    };

    /// <summary>The text corpora (Data/TextCorpus): Debian's fortunes, or the user's UTF-8 file (--text FILE); a language model trains on them.</summary>
    internal static readonly string[] TextNames = ["fortunes", "text"];

    public static NameSet Names { get; } = new([.. Registry.Keys, .. TextNames]);

    /// <summary>Whether the dataset is a text corpus rather than images.</summary>
    public static bool IsText(string name) => TextNames.Contains(name);

    /// <summary>The text corpus a config names, windows of <paramref name="blockSize"/> tokens.</summary>
    public static TextCorpus LoadText(DataConfig data, int blockSize) => data.Dataset switch
    {
        "fortunes" => TextCorpus.Fortunes(blockSize, data.DataDir ?? TextCorpus.FortunesDir),
        "text" => TextCorpus.FromFile(data.Text ?? throw ConfigError.Of(nameof(DataConfig.Text), "is needed by --dataset text"), blockSize),
        _ => throw ConfigError.Of(nameof(DataConfig.Dataset), $"'{data.Dataset}' is not a text corpus; use one of: {string.Join(", ", TextNames)}"),
    };

    /// <summary>
    /// Refuses files whose images are not the dataset's (14×14 idx files under a fashion-mnist name would reach the
    /// model as a shape error) or that hold no examples (which would read as a --val problem).
    /// </summary>
    private static void RequireShape(DatasetInfo info, Dataset set, string dir, string split)
    {
        if (set.Channels != info.Channels || set.Height != info.Height || set.Width != info.Width)
            throw new DataException($"{info.Name} in {dir}: the {split} images are {set.Channels}×{set.Height}×{set.Width}, but {info.Name} images are " +
                                    $"{info.Channels}×{info.Height}×{info.Width}; these files are another dataset's (or were resized): put the original files there");
        if (set.Count == 0)
            throw new DataException($"{info.Name} in {dir}: the {split} files hold no examples; download them again");
    }

    /// <summary>The facts about a dataset, without reading it.</summary>
    public static DatasetInfo Info(string name) => Lookup(name).Info;

    /// <summary>Reads a dataset and cuts it into train, validation (the last examples of the training file) and test.</summary>
    public static DataSplits Load(DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entry = Lookup(options.Name);
        Check.That(options.LimitTrain is null or > 0, nameof(DataConfig.LimitTrain), $"must be a positive number of examples, got {options.LimitTrain}");
        Check.That(options.LimitTest is null or > 0, nameof(DataConfig.LimitTest), $"must be a positive number of examples, got {options.LimitTest}");
        Check.NotNegative(options.Validation, nameof(DataConfig.Val));

        string dir = ResolveDataDir(options.Name, options.DataDir);
        using var fullTrain = entry.Read(options.Name, dir, true);
        using var fullTest = entry.Read(options.Name, dir, false);
        RequireShape(entry.Info, fullTrain, dir, "training");
        RequireShape(entry.Info, fullTest, dir, "test");

        long n = fullTrain.Count;
        long val = options.Validation;
        Check.That(val < n, nameof(DataConfig.Val), $"{val}: {options.Name} has {n} training examples, so holding out {val} leaves none to train on; use at most {n - 1}");
        long rest = n - val;
        long train = options.LimitTrain ?? rest;
        Check.That(train <= rest, val > 0
            ? $"{ConfigError.Field(nameof(DataConfig.LimitTrain))} {train}: only {rest} training examples remain after {ConfigError.Field(nameof(DataConfig.Val))} {val} holds out {val} of {n}"
            : $"{ConfigError.Field(nameof(DataConfig.LimitTrain))} {train}: {options.Name} has only {n} training examples");
        long test = options.LimitTest ?? fullTest.Count;
        Check.That(test <= fullTest.Count, nameof(DataConfig.LimitTest), $"{test}: {options.Name} has only {fullTest.Count} test examples");

        // Slices share storage with the full sets, which stays alive while any slice holds it.
        return new DataSplits(
            entry.Info,
            fullTrain.Slice(0, train),
            fullTest.Slice(0, test),
            val > 0 ? fullTrain.Slice(rest, val) : null);
    }

    /// <summary><paramref name="dataDir"/> if given, else $SPARSELAB_DATA/&lt;name&gt; if it exists, else /usr/share/datasets/&lt;name&gt;.</summary>
    public static string ResolveDataDir(string name, string? dataDir)
    {
        if (!string.IsNullOrEmpty(dataDir)) return dataDir;
        string? root = Environment.GetEnvironmentVariable("SPARSELAB_DATA");
        if (!string.IsNullOrEmpty(root))
        {
            string candidate = Path.Combine(root, name);
            if (Directory.Exists(candidate)) return candidate;
        }
        return Path.Combine("/usr/share/datasets", name);
    }

    private static Entry Lookup(string name) =>
        Registry.TryGetValue(name, out var entry)
            ? entry
            : IsText(name)
            ? throw ConfigError.Of(nameof(DataConfig.Dataset), $"'{name}' is a text corpus, and this needs images; text trains --model gpt")
            : throw ConfigError.Of(nameof(DataConfig.Dataset), $"'{name}' is not known; use one of: {Names.Describe()}");

    private sealed record Entry(DatasetInfo Info, Func<string, string, bool, Dataset> Read);
}
