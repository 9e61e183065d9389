// What a model and a loader need to know about a dataset: shape, classes, normalization, augmentation.
namespace SparseLab.Data;

/// <summary>
/// Static facts about a dataset. <paramref name="Mean"/> and <paramref name="Std"/> are per channel,
/// on pixels scaled to [0, 1]. <paramref name="Augment"/> turns on random crop + flip for training batches.
/// </summary>
public sealed record DatasetInfo(
    string Name, int Channels, int Height, int Width, int NumClasses, float[] Mean, float[] Std, bool Augment);
