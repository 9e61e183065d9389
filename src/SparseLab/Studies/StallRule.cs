// When a run "stalled at chance": it never left the uniform prediction. The
// rule reads either sign: a final train loss within 1e-3 nats of ln C (the loss
// of the uniform prediction over C classes), or a test accuracy within 0.5
// points of 1/C. What the data showed: the stalled LeNet-5 scratch runs at
// 99 % sparsity (docs/sweep, pytorch-default init) read exactly 10.00 % train
// and test accuracy on Fashion-MNIST, while the runs that escaped read 56 % or
// more — a bimodal outcome with nothing near the threshold, so the rule's
// tolerances are not delicate. The accuracy sign alone also catches a run that
// collapsed to one class of a balanced test set (loss above ln C).
namespace SparseLab.Studies;

public static class StallRule
{
    public const double LossTolerance = 1e-3;
    public const double AccuracyTolerance = 0.005;

    /// <summary>Whether a classifier's run over <paramref name="classes"/> classes stalled at chance.</summary>
    public static bool IsStalled(StudyRow row, int classes)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "a classifier has at least 2 classes");
        return Math.Abs(row.TrainLoss - Math.Log(classes)) <= LossTolerance || Math.Abs(row.TestAccuracy - 1.0 / classes) <= AccuracyTolerance;
    }

    /// <summary>The rule in words, for study.json and the report.</summary>
    public static string Describe(int classes) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"final train loss within {LossTolerance} of ln {classes} = {Math.Log(classes):0.0000}, or test accuracy within {100 * AccuracyTolerance} points of {100.0 / classes:0.##} %");
}
