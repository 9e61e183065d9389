// A float64 4-4-3 tanh MLP on 2×2 images with 3 classes (35 parameters) and
// its loss written as a function of one flat parameter vector, so tests can
// build the explicit Hessian by double backward per coordinate and compare
// CurvatureProbe's iterative estimates with an eigen-decomposition of it.
using SparseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Information;

internal static class CurvatureTestKit
{
    public const int Count = 24;
    public static readonly DatasetInfo Info = new("tiny", 1, 2, 2, 3, [0.5f], [0.25f], Augment: false);

    public static nn.Module<Tensor, Tensor> Model()
    {
        torch.manual_seed(3);
        var model = nn.Sequential(nn.Flatten(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 3));
        model.to(ScalarType.Float64);
        return model;
    }

    public static Dataset Data()
    {
        using var generator = new Generator(11);
        var images = torch.randint(0, 256, [Count, 1, 2, 2], dtype: ScalarType.Byte, generator: generator);
        var labels = torch.randint(0, 3, [Count], dtype: ScalarType.Int64, generator: generator);
        return new Dataset("tiny", images, labels, 3);
    }

    /// <summary>The normalized inputs (n, 4) float64, as the loader makes them.</summary>
    public static Tensor Inputs(Dataset data, long n) =>
        data.Images.narrow(0, 0, n).to(ScalarType.Float64).div(255).sub(0.5).div(0.25).view(n, 4);

    /// <summary>θ = [W1 (16), b1 (4), W2 (12), b2 (3)], in named_parameters order.</summary>
    public static Tensor Flat(nn.Module<Tensor, Tensor> model) =>
        torch.cat([.. model.parameters().Select(p => p.detach().flatten())]);

    public static Tensor Logits(Tensor theta, Tensor x)
    {
        var w1 = theta.narrow(0, 0, 16).view(4, 4);
        var b1 = theta.narrow(0, 16, 4);
        var w2 = theta.narrow(0, 20, 12).view(3, 4);
        var b2 = theta.narrow(0, 32, 3);
        return torch.tanh(x.matmul(w1.t()) + b1).matmul(w2.t()) + b2;   // (n, 3)
    }

    /// <summary>The explicit 35×35 Hessian of the mean cross-entropy over the first n examples.</summary>
    public static Tensor Hessian(nn.Module<Tensor, Tensor> model, Dataset data, long n)
    {
        var theta = Flat(model).requires_grad_(true);
        var loss = nn.functional.cross_entropy(Logits(theta, Inputs(data, n)), data.Labels.narrow(0, 0, n));
        var g = torch.autograd.grad([loss], [theta], create_graph: true, retain_graph: true)[0];
        long d = theta.shape[0];
        var rows = new Tensor[d];
        for (long i = 0; i < d; i++)
            rows[i] = torch.autograd.grad([g[i]], [theta], retain_graph: true)[0].detach();
        return torch.stack(rows);
    }

    /// <summary>The eigenvalue of largest magnitude (what power iteration converges to), with the ratio |λ₂|/|λ₁|.</summary>
    public static (double Top, double Gap) TopEigenvalue(Tensor symmetric)
    {
        var values = torch.linalg.eigvalsh(symmetric).data<double>().ToArray().OrderByDescending(Math.Abs).ToArray();
        return (values[0], Math.Abs(values[1]) / Math.Abs(values[0]));
    }
}
