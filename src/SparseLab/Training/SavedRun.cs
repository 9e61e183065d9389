// A finished or interrupted run opened again: its config, its model rebuilt
// with the weights of one checkpoint, and its mask if it trained sparse.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed class SavedRun : IDisposable
{
    private SavedRun(RunFolder folder, TrainConfig config, InputShape input, nn.Module<Tensor, Tensor> model, string checkpoint)
        => (Folder, Config, Input, Model, CheckpointName) = (folder, config, input, model, checkpoint);

    public RunFolder Folder { get; }
    public TrainConfig Config { get; }
    public InputShape Input { get; }
    public nn.Module<Tensor, Tensor> Model { get; }
    public string CheckpointName { get; }
    public ModelSpec Spec => ModelSpec.For(Config.Model, Input);
    public IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)> Prunable =>
        PrunableParameters.For(Model, Config.Sparsity);

    /// <summary>Opens DIR with checkpoint NAME (final, last, init); errors name the run and checkpoint fields (--run, --checkpoint) and list the checkpoints it has.</summary>
    public static SavedRun Open(string dir, string checkpoint = "final")
    {
        string run = ConfigError.Field("Run");
        Check.That(Directory.Exists(dir), $"{run} '{dir}': no such folder");
        var folder = new RunFolder(dir);
        var config = folder.ReadConfig() ?? throw new ConfigError($"{run} '{dir}' is not a SparseLab run folder (no config.json)");
        string file = folder.CheckpointFile(checkpoint);
        Check.That(File.Exists(file), $"{ConfigError.Field("Checkpoint")} '{checkpoint}': {file} does not exist; this run has: {folder.CheckpointNames()}");
        var input = Tasks.TaskRegistry.For(config).ModelInput(config);
        torch.manual_seed(config.Seed);
        var model = ModelRegistry.Create(ModelSpec.For(config.Model, input));
        try
        {
            Checkpoint.Load(file, model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new SavedRun(folder, config, input, model, checkpoint);
    }

    /// <summary>
    /// Refuses weights that cannot compute: a NaN or ±Inf in any floating tensor of the checkpoint (a run that diverged
    /// after its last good epoch, a damaged file) is an error naming the tensor, instead of a model that predicts garbage.
    /// </summary>
    public void RequireFinite(string purpose)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in Model.state_dict())
        {
            if (!tensor.is_floating_point()) continue;
            long bad = tensor.numel() - tensor.isfinite().sum().item<long>();
            if (bad > 0)
                throw new ConfigError($"{ConfigError.Field("Run")} '{Folder.Path}': {name} of its {CheckpointName} checkpoint holds {bad:N0} NaN or infinite " +
                                             $"value{(bad == 1 ? "" : "s")} of {tensor.numel():N0}; {purpose} refuses weights that cannot compute (did the run diverge?)", exitCode: 1);
        }
    }

    /// <summary>The run's mask, or null when it trained densely.</summary>
    public Mask? LoadMask() => File.Exists(Folder.MaskFile) ? Mask.Load(Folder.MaskFile) : null;

    public void Dispose() => Model.Dispose();
}
