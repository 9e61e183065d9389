// Denoising diffusion (DDPM, Ho et al. 2020) as a SparseLab task: the model
// (a U-Net) sees a noised image x_t and its timestep t (DiffusionInput) and
// predicts the noise ε; the loss is Eq. 14's simple loss, the mean squared
// error of that prediction. There is no accuracy: methods rank by held-out
// denoising loss. What it cannot serve yet is refused by name.
using SparseLab.Data;
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity.Criteria;
using SparseLab.Training;
using SparseLab.Training.Tasks;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

public sealed class DiffusionTask : TrainingTask
{
    public const string TaskName = "diffusion";

    // Criteria that need no class labels: SNIP, GraSP and Fisher pruning score a classifier's cross-entropy.
    private static readonly string[] Criteria = ["magnitude", "random", "wanda", "sparsegpt", "synflow"];

    public override string Name => TaskName;

    public override bool Claims(TrainConfig config) => ModelRegistry.Denoisers.Contains(config.Model.Name);

    public override TrainConfig Recipe => DiffusionRecipe.Defaults;

    public override void Refuse(TrainConfig config)
    {
        Check.That(ModelRegistry.Denoisers.Contains(config.Model.Name), "Model.Name",
            $"'{config.Model.Name}' does not denoise; --task {TaskName} trains one of: {ModelRegistry.Denoisers.Describe()}");
        Check.That(!DatasetCatalog.IsText(config.Data.Dataset), "Data.Dataset",
            $"{config.Data.Dataset} is text; --task {TaskName} generates images: use an image dataset such as fashion-mnist");
        string why = $"--task {TaskName} has no labels";
        Check.That(config.Data.LabelNoise == 0, "Data.LabelNoise", $"does not apply: {why}");
        Check.That(config.Curriculum.Score is null, "Curriculum.Score", $"is not supported for --task {TaskName} yet: drop it");
        Check.That(!config.Early.Used, $"{ConfigError.Field("Early.Select")} and {ConfigError.Field("Early.Penalty")} are built for image classifiers, not --task {TaskName}: drop them");
        Check.That(config.Probes.FisherEvery is null, "Probes.FisherEvery", $"is not supported for --task {TaskName} yet: drop it");
        string criterion = config.Sparsity.Criterion;
        Check.That(Criteria.Contains(criterion) || CriterionRegistry.NmOf(criterion) is not null, "Sparsity.Criterion",
            $"{criterion} scores a classifier's loss ({why}); use one of: {string.Join(", ", Criteria)}, nm:N:M");
    }

    /// <summary>(C + 1, H, W): the image's channels and the timestep's plane (DiffusionInput); its "classes" are the C channels the model predicts.</summary>
    public override InputShape ModelInput(TrainConfig config) => DiffusionData.InputFor(DatasetShapes.Of(config.Data.Dataset, 0));

    public override TrainingData Load(TrainConfig config, bool labelNoise) => DiffusionData.Load(config);

    /// <summary>Ho et al. 2020, Eq. 14: ‖ε − ε_θ(x_t, t)‖², a mean over every pixel of the batch by default.</summary>
    public override Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction = nn.Reduction.Mean) =>
        nn.functional.mse_loss(output, target, reduction);

    public override long Hits(Tensor output, Tensor target) => 0;

    public override bool HasAccuracy => false;

    /// <summary>Not yet: the empirical Fisher of the denoising loss per example is issue 26's next step.</summary>
    public override bool HasFisherProbe => false;

    public override bool RanksByLoss => true;

    public override string StudyMetric => "denoising-loss";

    public override string Describe(EpochMetrics m) =>
        $"train loss {m.TrainLoss:F4} | test denoising loss {m.Test.Loss:F4}" + (m.Validation is { } v ? $" | val {v.Loss:F4}" : "");

    public override string Headline(EpochMetrics m) => $"test denoising loss {m.Test.Loss:F4}";
}
