// Runs the engine over a labelled dataset: top-1 accuracy and throughput.
// The images are copied out of their libtorch tensor once, before the clock
// starts; the timed loop (packing, forward, argmax) is plain C#.
using System.Diagnostics;
using SparseLab.Data;
using SparseLab.Foundations;

namespace SparseLab.Inference;

public sealed record InferenceResult(long Count, long Correct, double Seconds, int BatchSize, int Threads)
{
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
    public double ImagesPerSecond => Count / Seconds;
}

public static class InferenceRunner
{
    public static InferenceResult Evaluate(SparseNetwork net, Dataset data, int batchSize, int threads)
    {
        var info = net.Info;
        if (data.Channels != info.Input[0] || data.Height != info.Input[1] || data.Width != info.Input[2])
            throw new ConfigError(
                $"{ConfigError.Field("Dataset")} {data.Name} has {data.Channels}x{data.Height}x{data.Width} images, but the model was exported for {string.Join("x", info.Input)} ({info.Dataset})");
        if (data.NumClasses != info.Classes)
            throw new ConfigError($"{ConfigError.Field("Dataset")} {data.Name} has {data.NumClasses} classes, but the model has {info.Classes} ({info.Dataset})");
        byte[] pixels = data.Images.contiguous().data<byte>().ToArray();
        long[] labels = data.Labels.data<long>().ToArray();
        return Evaluate(net, pixels, labels, batchSize, threads);
    }

    /// <summary><paramref name="pixels"/> is (N, C, H, W) uint8, <paramref name="labels"/> (N).</summary>
    public static InferenceResult Evaluate(SparseNetwork net, byte[] pixels, long[] labels, int batchSize, int threads)
    {
        if (batchSize < 1) throw new ConfigError($"{ConfigError.Field("BatchSize")} {batchSize}: must be at least 1");
        int size = (int)net.InputSize, classes = net.Classes;
        var input = new float[(long)size * Math.Min(batchSize, Math.Max(1, labels.Length))];
        long correct = 0;
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < labels.Length; start += batchSize)
        {
            int b = Math.Min(batchSize, labels.Length - start);
            var x = input.AsSpan(0, size * b);
            InputPacking.Pack(pixels.AsSpan(start * size, size * b), b, net.Info, x);
            var scores = net.Forward(x, b, threads);   // (classes, b)
            for (int e = 0; e < b; e++)
            {
                // First maximum, as torch.argmax.
                int best = 0;
                for (int k = 1; k < classes; k++)
                    if (scores[k * b + e] > scores[best * b + e]) best = k;
                if (best == labels[start + e]) correct++;
            }
        }
        return new InferenceResult(labels.Length, correct, clock.Elapsed.TotalSeconds, batchSize, threads);
    }
}
