// The weak baseline a generator must beat: images drawn from one Gaussian
// fitted to the training pixels (mean and full covariance of the flattened
// images, so it knows every pixel's brightness and how pixels co-vary, but
// nothing of shapes). Its Fréchet LeNet distance, and the floor of the test
// set against the training set, bracket a model's score.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Diffusion;

public static class GaussianImages
{
    /// <summary>
    /// n draws (n, C, H, W) from N(μ, Σ) of <paramref name="images"/> (N, C, H, W) flattened, clipped to [-1, 1];
    /// Σ + 1e-6·I is factored so a pixel that never varies (a border) does not stop the Cholesky factorization.
    /// </summary>
    public static Tensor Sample(Tensor images, long n, ulong seed)
    {
        using var scope = NewDisposeScope();
        var x = images.flatten(1).to(ScalarType.Float64);                              // (N, D)
        var mean = x.mean([0]);                                                         // (D)
        var centred = x - mean;
        var covariance = centred.T.matmul(centred) / (x.shape[0] - 1);                  // (D, D)
        var factor = linalg.cholesky(covariance + 1e-6 * eye(x.shape[1], dtype: ScalarType.Float64));
        using var generator = new Generator(seed);
        var z = randn([n, x.shape[1]], dtype: ScalarType.Float64, generator: generator); // (n, D)
        var draws = (mean + z.matmul(factor.T)).clamp(-1, 1).to(ScalarType.Float32);
        return draws.view([n, .. images.shape[1..]]).MoveToOuterDisposeScope();        // (n, C, H, W)
    }
}
