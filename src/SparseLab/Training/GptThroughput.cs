// Language-model training throughput (tokens/s): full steps of the GPT
// (Models/Gpt.cs) on random byte tokens — forward, next-token cross-entropy,
// backward, gradient clipping at norm 1, AdamW (lr 3e-4, betas 0.9/0.95,
// decoupled weight decay 0.1 on every parameter of two or more dimensions —
// the matrices and embeddings — and none on biases and LayerNorms, as
// nanoGPT) — timed after a warm-up. The PyTorch peer
// (bench/peers/gpt_throughput.py) trains the same architecture the same way.
using System.Diagnostics;
using SparseLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training;

public sealed record TokenThroughput(GptConfig Config, int Batch, int Threads, int Steps, double TokensPerS, long Params, string Framework);

public static class GptThroughput
{
    public static TokenThroughput Measure(GptConfig config, int batch, int steps, int warmup, Device device)
    {
        torch.manual_seed(0);
        using var model = new Gpt(config);
        model.to(device).train();
        var matrices = model.parameters().Where(p => p.dim() >= 2).ToList();
        var rest = model.parameters().Where(p => p.dim() < 2).ToList();
        using var decayed = torch.optim.AdamW(matrices, lr: 3e-4, beta1: 0.9, beta2: 0.95, weight_decay: 0.1);
        using var plain = torch.optim.AdamW(rest, lr: 3e-4, beta1: 0.9, beta2: 0.95, weight_decay: 0);
        using var x = torch.randint(0, config.Vocabulary, [batch, config.BlockSize], dtype: ScalarType.Int64, device: device);
        using var y = torch.randint(0, config.Vocabulary, [batch, config.BlockSize], dtype: ScalarType.Int64, device: device);

        var clock = new Stopwatch();
        for (int i = 0; i < warmup + steps; i++)
        {
            if (i == warmup) clock.Start();
            using var scope = torch.NewDisposeScope();
            decayed.zero_grad();
            plain.zero_grad();
            var logits = model.call(x);
            var loss = nn.functional.cross_entropy(logits.view(-1, config.Vocabulary), y.view(-1));
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            decayed.step();
            plain.step();
        }
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
        clock.Stop();
        return new TokenThroughput(config, batch, torch.get_num_threads(), steps,
            (double)batch * config.BlockSize * steps / clock.Elapsed.TotalSeconds, model.parameters().Sum(p => p.numel()),
            $"sparselab (TorchSharp {Foundations.TorchRuntime.TorchSharpVersion}, libtorch {Foundations.TorchRuntime.LibTorchVersion})");
    }
}
