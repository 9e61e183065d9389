// Tiny models, batches and requests shared by the criterion tests, and checks
// that a model came back bit-identical.
using SparseLab.Data;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

internal static class CriterionFixtures
{
    /// <summary>A double-precision 4 → 3 → 2 MLP with tanh (smooth, for finite differences).</summary>
    public static nn.Module<Tensor, Tensor> TinyMlp(long seed)
    {
        torch.manual_seed(seed);
        return nn.Sequential(
            ("0", nn.Linear(4, 3, dtype: ScalarType.Float64)),
            ("1", nn.Tanh()),
            ("2", nn.Linear(3, 2, dtype: ScalarType.Float64)));
    }

    public static List<(Tensor Input, Tensor Labels)> Batches(long seed, int count, int batch, long[] inputShape, int classes, ScalarType dtype)
    {
        using var generator = new Generator((ulong)seed);
        var result = new List<(Tensor, Tensor)>();
        for (int i = 0; i < count; i++)
        {
            var x = torch.randn([batch, .. inputShape], dtype: dtype, generator: generator);
            var y = torch.randint(0, classes, [batch], generator: generator);
            result.Add((x, y));
        }
        return result;
    }

    public static PruningRequest Request(
        nn.Module<Tensor, Tensor> model, double sparsity, IReadOnlyList<(Tensor Input, Tensor Labels)> batches,
        InputShape input, long seed = 0, Mask? current = null, string budget = "global",
        IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)>? prunable = null) =>
        new(model, prunable ?? PrunableParameters.Of(model), sparsity, BudgetRegistry.Create(budget),
            () => batches, input, seed, current);

    public static List<(string Name, Tensor Value)> Snapshot(nn.Module model) =>
        [.. model.named_parameters().Select(p => (p.name, p.parameter.detach().clone())),
         .. model.named_buffers().Select(b => (b.name, b.buffer.detach().clone()))];

    public static void AssertBitIdentical(nn.Module model, List<(string Name, Tensor Value)> snapshot)
    {
        var now = Snapshot(model);
        Assert.Equal(snapshot.Select(s => s.Name), now.Select(s => s.Name));
        for (int i = 0; i < now.Count; i++)
        {
            Assert.Equal(snapshot[i].Value.dtype, now[i].Value.dtype);
            Assert.True(snapshot[i].Value.eq(now[i].Value).all().item<bool>(), $"'{now[i].Name}' changed");
        }
    }

    /// <summary>max |a − b| ≤ tol · max |b| over every layer.</summary>
    public static void AssertClose(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual, double tol)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        double scale = expected.Values.Max(t => t.abs().max().item<double>());
        Assert.True(scale > 0);
        foreach (var (name, e) in expected)
        {
            double err = (actual[name].to(ScalarType.Float64) - e.to(ScalarType.Float64)).abs().max().item<double>();
            Assert.True(err <= tol * scale, $"layer '{name}': max error {err:G3} > {tol} x {scale:G3}");
        }
    }

    /// <summary>∂f/∂w by central differences, nudging each weight by ±h; shape (w.shape..., f.shape...).</summary>
    public static Dictionary<string, Tensor> FiniteDifference(
        IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)> prunable, Func<Tensor> f, double h)
    {
        var result = new Dictionary<string, Tensor>();
        using var noGrad = torch.no_grad();
        foreach (var (name, w) in prunable)
        {
            var flat = w.detach().view(-1);
            var parts = new List<Tensor>();
            for (long i = 0; i < flat.numel(); i++)
            {
                double orig = flat[i].item<double>();
                flat[i].fill_(orig + h);
                var up = f();
                flat[i].fill_(orig - h);
                var down = f();
                flat[i].fill_(orig);
                parts.Add((up - down) / (2 * h));
            }
            result[name] = torch.stack(parts).reshape([.. w.shape, .. parts[0].shape]);
        }
        return result;
    }
}
