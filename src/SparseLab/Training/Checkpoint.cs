// A checkpoint: model state dict, optimizer state and the trainer's position,
// in one file written atomically. The data order and augmentation of every
// batch derive from (seed, epoch, batch), so position + weights + optimizer
// state are all a resumed run needs to continue bit-identically. Version 2
// adds the mask in force, so a run whose mask changes (GMP, SET, RigL)
// resumes with the mask it had at that step. Version 3 ends with a trailer,
// the 16 ASCII bytes "SPARSELAB-SHA256" and the SHA-256 of every byte before
// them, checked before anything is loaded: a flipped byte or a file cut short
// is refused naming the file. Versions 1 and 2 (no trailer) still load.
using System.Security.Cryptography;
using SparseLab.Foundations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training;

/// <summary>Where training stands: epochs completed, optimizer steps taken, training seconds so far.</summary>
public sealed record TrainingState(int Epoch, long Step, double WallSeconds);

public static class Checkpoint
{
    private const string Magic = "SPARSELAB-CHECKPOINT";
    private const int FormatVersion = 3;
    private const int FirstWithTrailer = 3;
    private static readonly byte[] TrailerMagic = "SPARSELAB-SHA256"u8.ToArray();
    private static int TrailerLength => TrailerMagic.Length + SHA256.HashSizeInBytes;

    public static void Save(string path, nn.Module model, OptimizerHelper? optimizer, TrainingState state, Sparsity.Mask? mask = null) =>
        AtomicFile.Write(path, stream =>
        {
            using var sha = SHA256.Create();
            using (var hashed = new CryptoStream(stream, sha, CryptoStreamMode.Write, leaveOpen: true))   // passes every byte through to the file
            using (var w = new BinaryWriter(hashed, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(FormatVersion);
                w.Write(Json.Serialize(state));
                model.save(w);
                w.Write(optimizer is not null);
                optimizer?.save_state_dict(w);
                w.Write(mask is not null);
                if (mask is not null) WriteMask(w, mask);
            }
            stream.Write(TrailerMagic);
            stream.Write(sha.Hash);
        });

    /// <summary>Loads weights (and optimizer state when given and saved) into the objects passed; returns the position.</summary>
    public static TrainingState Load(string path, nn.Module model, OptimizerHelper? optimizer = null) =>
        Read(path, model, optimizer, readMask: false).State;

    /// <summary>Like Load, and also returns the mask saved with the checkpoint (null when none); pass the optimizer when it holds optimizer state.</summary>
    public static (TrainingState State, Sparsity.Mask? Mask) LoadWithMask(string path, nn.Module model, OptimizerHelper? optimizer) =>
        Read(path, model, optimizer, readMask: true);

    private static (TrainingState State, Sparsity.Mask? Mask) Read(string path, nn.Module model, OptimizerHelper? optimizer, bool readMask)
    {
        if (!File.Exists(path))
            throw new SparseLabException($"checkpoint '{path}' does not exist");
        try
        {
            using var stream = File.OpenRead(path);
            using var r = new BinaryReader(stream);
            if (r.ReadString() != Magic)
                throw new SparseLabException($"checkpoint '{path}' is not a SparseLab checkpoint");
            int version = r.ReadInt32();
            if (version is < 1 or > FormatVersion)
                throw new SparseLabException($"checkpoint '{path}' has format version {version}; this SparseLab reads versions 1 to {FormatVersion}");
            if (version >= FirstWithTrailer) Verify(stream, path);
            var state = Json.Deserialize<TrainingState>(r.ReadString());
            model.load(r);
            bool hasOptimizer = r.ReadBoolean();
            if (hasOptimizer && optimizer is not null) optimizer.load_state_dict(r);
            // The mask follows the optimizer state, which only the optimizer itself can read past.
            bool reachable = version >= 2 && readMask && (!hasOptimizer || optimizer is not null);
            var mask = reachable && r.ReadBoolean() ? ReadMask(r) : null;
            return (state, mask);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            throw new SparseLabException($"checkpoint '{path}' cannot be read ({e.Message}); it may be truncated or from another model", inner: e);
        }
    }

    // Before any weight is loaded: the trailer is there and its SHA-256 matches every byte before it. Leaves the stream where it was.
    private static void Verify(FileStream stream, string path)
    {
        long position = stream.Position, body = stream.Length - TrailerLength;
        DataException Damaged(string why) => new($"checkpoint '{path}' is damaged ({why}): rerun the training or restore the file");
        if (body < position) throw Damaged("its SHA-256 trailer is missing: the file was cut short");
        var trailer = new byte[TrailerLength];
        stream.Position = body;
        stream.ReadExactly(trailer);
        if (!trailer.AsSpan(0, TrailerMagic.Length).SequenceEqual(TrailerMagic)) throw Damaged("its SHA-256 trailer is missing: the file was cut short or changed");
        stream.Position = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long left = body; left > 0;)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) throw Damaged("the file changed while it was read");
            sha.AppendData(buffer, 0, n);
            left -= n;
        }
        if (!sha.GetHashAndReset().AsSpan().SequenceEqual(trailer.AsSpan(TrailerMagic.Length))) throw Damaged("SHA-256 mismatch");
        stream.Position = position;
    }

    // Layers as (name, shape, uint8 0/1 bytes): small and independent of TorchSharp's tensor format.
    private static void WriteMask(BinaryWriter w, Sparsity.Mask mask)
    {
        w.Write(mask.Names.Count);
        foreach (var (key, value) in mask.AsUInt8())
        {
            using var v = value.cpu().contiguous();
            w.Write(key);
            w.Write(v.shape.Length);
            foreach (long d in v.shape) w.Write(d);
            var bytes = v.data<byte>().ToArray();
            w.Write(bytes.Length);
            w.Write(bytes);
        }
    }

    private static Sparsity.Mask ReadMask(BinaryReader r)
    {
        int count = r.ReadInt32();
        var layers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < count; i++)
            {
                string key = r.ReadString();
                var shape = new long[r.ReadInt32()];
                for (int d = 0; d < shape.Length; d++) shape[d] = r.ReadInt64();
                var bytes = r.ReadBytes(r.ReadInt32());
                layers[key[Sparsity.Mask.KeyPrefix.Length..]] = torch.tensor(bytes, dtype: ScalarType.Byte).reshape(shape);
            }
            return new Sparsity.Mask(layers);
        }
        finally
        {
            foreach (var t in layers.Values) t.Dispose();
        }
    }
}
