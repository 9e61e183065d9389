// Which kernels a masked layer trains on. `dense` multiplies the dense weight
// with the mask applied (what PyTorch sparse-training libraries do); `sparse`
// runs CSR kernels forward and backward (SparseLinearFunction); `auto` takes
// the sparse path for a layer only where it measured faster. The break-even
// below comes from `sparselab bench train` (bench/RESULTS.md, "Sparse
// training"): a Linear layer's full training step on CSR kernels beat the
// dense step at density ≤ BreakEvenDensity for the layer sizes measured; tiny
// layers (the 10-way classifiers) cost more in call overhead than they save.
namespace SparseLab.Training.Kernels;

public static class KernelChoice
{
    public const double BreakEvenDensity = 0.3;
    public const long SmallestLayer = 16_384;

    /// <summary>Whether `auto` trains a Linear layer of this shape and density on the sparse kernels.</summary>
    public static bool AutoPrefersSparse(long rows, long cols, double density) =>
        rows * cols >= SmallestLayer && density <= BreakEvenDensity;
}
