// A checkpoint: model state dict, optimizer state and the trainer's position,
// in one file written atomically. The data order and augmentation of every
// batch derive from (seed, epoch, batch), so position + weights + optimizer
// state are all a resumed run needs to continue bit-identically.
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
    private const int FormatVersion = 1;

    public static void Save(string path, nn.Module model, OptimizerHelper? optimizer, TrainingState state) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(Json.Serialize(state));
            model.save(w);
            w.Write(optimizer is not null);
            optimizer?.save_state_dict(w);
        });

    /// <summary>Loads weights (and optimizer state when given and saved) into the objects passed; returns the position.</summary>
    public static TrainingState Load(string path, nn.Module model, OptimizerHelper? optimizer = null)
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
            if (version != FormatVersion)
                throw new SparseLabException($"checkpoint '{path}' has format version {version}; this SparseLab reads version {FormatVersion}");
            var state = Json.Deserialize<TrainingState>(r.ReadString());
            model.load(r);
            bool hasOptimizer = r.ReadBoolean();
            if (hasOptimizer && optimizer is not null) optimizer.load_state_dict(r);
            return state;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new SparseLabException($"checkpoint '{path}' cannot be read ({e.Message}); it may be truncated or from another model", inner: e);
        }
    }
}
