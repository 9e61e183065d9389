// One point of a linear path between two networks: the interpolation
// coefficient α and the loss and accuracy of θ(α) on the train and test sets.
namespace SparseLab.Information;

public sealed record PathPoint(double Alpha, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);
