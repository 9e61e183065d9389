// Four tiny runs on the synthetic set, trained once for all interpolate CLI
// tests: LeNet-5 with seeds 1 and 2, an MLP, and a LeNet-5 at 50 % sparsity.
using SparseLab.Tests.Cli;

namespace SparseLab.Tests.Information;

public sealed class TinyRunsFixture : IDisposable
{
    private static readonly string[] Tiny = ["--dataset", "synthetic", "--epochs", "1", "--limit-train", "256", "--limit-test", "64", "--threads", "1"];
    private readonly TempDir _dir = new();

    public TinyRunsFixture()
    {
        LeNetA = Train("a", "--model", "lenet5", "--seed", "1");
        LeNetB = Train("b", "--model", "lenet5", "--seed", "2");
        Mlp = Train("mlp", "--model", "mlp", "--seed", "1");
        SparseLeNet = Train("sparse", "--model", "lenet5", "--seed", "1", "--sparsity", "0.5");
    }

    public string LeNetA { get; }
    public string LeNetB { get; }
    public string Mlp { get; }
    public string SparseLeNet { get; }

    public string NewOut(string name) => _dir.Combine("out-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);

    private string Train(string name, params string[] args)
    {
        string dir = _dir.Combine(name);
        var r = CliRunner.Run(["train", .. Tiny, .. args, "--out", dir]);
        if (r.ExitCode != 0) throw new InvalidOperationException($"training {name} failed: {r.Err}");
        return dir;
    }

    public void Dispose() => _dir.Dispose();
}
