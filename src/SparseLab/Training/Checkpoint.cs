// A checkpoint: model state dict, optimizer state and the trainer's position,
// in one file written atomically. The data order and augmentation of every
// batch derive from (seed, epoch, batch), so position + weights + optimizer
// state are all a resumed run needs to continue bit-identically. Version 2
// adds the mask in force, so a run whose mask changes (GMP, SET, RigL)
// resumes with the mask it had at that step.
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
    private const int FormatVersion = 2;

    public static void Save(string path, nn.Module model, OptimizerHelper? optimizer, TrainingState state, Sparsity.Mask? mask = null) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(Json.Serialize(state));
            model.save(w);
            w.Write(optimizer is not null);
            optimizer?.save_state_dict(w);
            w.Write(mask is not null);
            if (mask is not null) WriteMask(w, mask);
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
