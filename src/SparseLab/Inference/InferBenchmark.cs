// End-to-end forward time of a sparse model file: our engine against the
// same weights densified in the libtorch model, on the same random input
// batch, in the same process, with the same thread count.
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Inference;

public sealed record InferCase(string Model, double Width, int Batch, int Threads, double Sparsity, long Stored, long Dense,
    double OursMs, double TorchDenseMs, double MaxRelError)
{
    public double Speedup => TorchDenseMs / OursMs;
}

public static class InferBenchmark
{
    public static InferCase Measure(SparseNetwork net, int batch, int threads, int seed = 0)
    {
        var info = net.Info;
        int size = (int)net.InputSize;
        var rng = new Random(seed);
        var input = new float[(long)size * batch];   // (B, C, H, W), roughly normalized pixels
        for (long i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 4 - 2);
        var packed = new float[input.Length];        // (C, H, W, B)
        for (int b = 0; b < batch; b++)
            for (int p = 0; p < size; p++) packed[(long)p * batch + b] = input[(long)b * size + p];

        float[] ours = [];
        double oursMs = Timing.MedianMs(() => ours = net.Forward(packed, batch, threads).ToArray());

        using var module = TorchReference.Build(net.Model);
        using var noGrad = torch.no_grad();
        using var x = torch.tensor(input, [batch, info.Input[0], info.Input[1], info.Input[2]]);
        double torchMs = Timing.MedianMs(() => { using var r = module.forward(x); });
        using var logits = module.forward(x);           // (B, classes)
        float[] expected = logits.t().contiguous().data<float>().ToArray();   // (classes, B) like ours
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - ours[i]));
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }
        var model = net.Model;
        double sparsity = 1.0 - (double)model.Layers.Values.Sum(l => l.Weight.ToDense().LongCount(v => v != 0)) / model.DenseWeights;
        return new InferCase(info.Model, info.Width, batch, threads, sparsity, model.StoredWeights, model.DenseWeights,
            oursMs, torchMs, maxRef == 0 ? maxDiff : maxDiff / maxRef);
    }
}
