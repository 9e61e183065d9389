// The tasks SparseLab trains, by --task name. A config that names none is
// the first task that claims it (by its model and dataset), image
// classification last; a config that names one must fit it.
using SparseLab.Foundations;

namespace SparseLab.Training.Tasks;

public static class TaskRegistry
{
    public static TrainingTask Classification { get; } = new ClassificationTask();
    public static TrainingTask LanguageModel { get; } = new LanguageModelTask();
    public static TrainingTask Diffusion { get; } = new Diffusion.DiffusionTask();

    // In claim order: the catch-all classification last.
    private static readonly TrainingTask[] All = [LanguageModel, Diffusion, Classification];

    /// <summary>The --task names.</summary>
    public static NameSet Names { get; } = new([.. All.Select(t => t.Name)]);

    /// <summary>The config's task: the one --task names, else the first that claims it.</summary>
    public static TrainingTask For(TrainConfig config) =>
        config.Task is { } name
            ? All.FirstOrDefault(t => t.Name == name) ?? throw ConfigError.Of(nameof(TrainConfig.Task), $"'{name}' is not known; use one of: {Names.Describe()}")
            : All.First(t => t.Claims(config));
}
