// Where one training step's time goes (issue 25: profile before fusing). Two
// views of the same model, mask and kernels as `bench train`:
//  - phases of the real step, timed around the trainer's calls (median over
//    the timed steps): forward (with the loss), backward (with the gradient
//    masking and the sparse layers' hand-off), optimizer steps (dense and
//    compact), and after the step (compact values written back into the dense
//    weights, the mask enforced on the dense ones);
//  - per layer kind, each Conv2d, BatchNorm2d and Linear layer's forward and
//    backward timed in isolation at the shape it sees in the model (captured
//    by forward hooks on one dense pass), on the kernels the step runs it on.
//    What the real forward and backward take beyond their sum is "other":
//    the functional ops (ReLU, residual adds, shortcut padding, pooling, the
//    loss) and autograd's own bookkeeping.
using System.Diagnostics;
using SparseLab.Inference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

/// <summary>Median milliseconds of the real step's phases.</summary>
public sealed record StepPhases(double ForwardMs, double BackwardMs, double OptimizerMs, double AfterStepMs, double StepMs);

/// <summary>One kind of layer on one kind of kernel, summed over the model's layers of that kind, timed in isolation.</summary>
public sealed record OpTime(string Op, int Layers, double ForwardMs, double BackwardMs);

public sealed record StepProfileResult(string Model, int Batch, int Threads, double Sparsity, string Kernels, StepPhases Phases, IReadOnlyList<OpTime> Ops)
{
    /// <summary>The real forward and backward minus what the timed layers took alone.</summary>
    public OpTime Other => new("other", 0, Phases.ForwardMs - Ops.Sum(o => o.ForwardMs), Phases.BackwardMs - Ops.Sum(o => o.BackwardMs));
}

public static class StepProfile
{
    public static StepProfileResult Measure(string modelName, int batch, int steps, int warmup, double sparsity, string kernels)
    {
        using var step = new BenchmarkStep(modelName, batch, torch.CPU, sparsity, kernels);
        var sparseLayers = step.Layers.Where(l => l.Kernels == "sparse").Select(l => l.Layer).ToHashSet();
        var inputs = InputShapes(step.Model, step.Input);   // before the layers are routed: one dense pass
        step.Begin();
        var phases = new List<double[]>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var marks = new long[5];
            marks[0] = Stopwatch.GetTimestamp();
            step.Run(i, phase => marks[phase + 1] = Stopwatch.GetTimestamp());
            if (i >= warmup) phases.Add([Ms(marks[0], marks[1]), Ms(marks[1], marks[2]), Ms(marks[2], marks[3]), Ms(marks[3], marks[4]), Ms(marks[0], marks[4])]);
        }
        double Median(int k) => MedianOf(phases.Select(p => p[k]));

        var ops = new Dictionary<string, (int Layers, double Forward, double Backward)>();
        foreach (var (name, module, input) in inputs)
        {
            bool sparse = sparseLayers.Contains(name + ".weight");
            string op = module is BatchNorm2d ? "BatchNorm2d" : $"{module.GetType().Name} ({(sparse ? "sparse" : "dense")})";
            var (forward, backward) = TimeAlone(module, input, sparse ? step.Mask![name + ".weight"] : null);
            var sum = ops.GetValueOrDefault(op);
            ops[op] = (sum.Layers + 1, sum.Forward + forward, sum.Backward + backward);
        }
        return new StepProfileResult(modelName, batch, torch.get_num_threads(), sparsity, kernels,
            new StepPhases(Median(0), Median(1), Median(2), Median(3), Median(4)),
            [.. ops.Select(o => new OpTime(o.Key, o.Value.Layers, o.Value.Forward, o.Value.Backward))]);
    }

    // Every Conv2d, BatchNorm2d and Linear layer with the shape of its input in one forward pass.
    private static List<(string Name, nn.Module<Tensor, Tensor> Module, long[] Input)> InputShapes(nn.Module model, Tensor x)
    {
        var found = new List<(string, nn.Module<Tensor, Tensor>, long[])>();
        var removers = new List<Action>();
        foreach (var (name, module) in model.named_modules())
            if (module is Conv2d or BatchNorm2d or Linear)
            {
                var m = (nn.Module<Tensor, Tensor>)module;
                removers.Add(m.register_forward_hook((_, input, output) => { found.Add((name, m, input.shape)); return output; }).remove);
            }
        using (torch.no_grad())
        using (torch.NewDisposeScope())
            ((nn.Module<Tensor, Tensor>)model).call(x);
        foreach (var remove in removers) remove();
        return found;
    }

    // The layer's forward, and its forward plus backward minus that, on random data of its input shape: on the sparse kernels when given its mask.
    private static (double ForwardMs, double BackwardMs) TimeAlone(nn.Module<Tensor, Tensor> module, long[] shape, Tensor? mask)
    {
        using var scope = torch.NewDisposeScope();
        SparseLayer? sparse = (module, mask) switch
        {
            (_, null) => null,
            (Conv2d c, _) => new SparseConv2d("weight", c),
            (Linear l, _) => new SparseLinear("weight", l),
            _ => throw new ArgumentException($"no sparse kernel for {module.GetType().Name}"),
        };
        try
        {
            sparse?.Pack(mask!);
            Func<Tensor, Tensor> forward = sparse is null ? module.call : sparse.Forward;
            var input = torch.randn(shape).requires_grad_(true);
            var upstream = torch.randn_like(forward(input.detach()));
            double forwardMs = Timing.MedianMs(() => { using var _ = torch.NewDisposeScope(); forward(input); });
            double stepMs = Timing.MedianMs(() =>
            {
                using var _ = torch.NewDisposeScope();
                torch.autograd.backward([forward(input)], [upstream]);
                input.grad = null;
                foreach (var p in module.parameters()) p.grad = null;
                if (sparse is not null) sparse.Values.grad = null;
            });
            return (forwardMs, Math.Max(0, stepMs - forwardMs));
        }
        finally { sparse?.Dispose(); }
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static double MedianOf(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
