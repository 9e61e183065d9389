// The character-level GPT (Models/Gpt.cs): causality, the parameter count of
// its default shape against the formula, GPT-2's initialization, the tied head,
// and one attention layer against a naive loop over heads and positions.
using SparseLab.Models;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Models;

public sealed class GptTests
{
    [Fact]
    public void Given_a_change_at_one_position_Then_only_that_position_and_later_ones_change()
    {
        torch.manual_seed(1);
        using var model = new Gpt(new GptConfig(Vocabulary: 20, BlockSize: 10, Layers: 2, Heads: 2, Embedding: 16));
        model.eval();
        var tokens = torch.randint(0, 20, [3, 10]);
        var changed = tokens.clone();
        changed[.., 6] = (changed[.., 6] + 1).remainder(20);
        using var _ = torch.no_grad();
        var a = model.call(tokens);
        var b = model.call(changed);
        Assert.Equal([3L, 10, 20], a.shape);
        Assert.True(a[.., ..6].allclose(b[.., ..6], rtol: 0, atol: 0), "a position saw a later token");
        Assert.False(a[.., 6..].allclose(b[.., 6..]), "the changed token had no effect");
    }

    [Fact]
    public void Given_the_default_shape_Then_it_has_the_parameters_the_formula_counts_and_prunes_only_attention_and_mlp()
    {
        var c = new GptConfig();
        using var model = new Gpt(c);
        long e = c.Embedding;
        long perBlock = 2 * 2 * e                  // two LayerNorms
            + 4 * (e * e + e)                      // q, k, v, output projection
            + (e * 4 * e + 4 * e) + (4 * e * e + e);   // the MLP
        long expected = c.Vocabulary * e + c.BlockSize * e + c.Layers * perBlock + 2 * e;   // embeddings, blocks, final LayerNorm; the head is tied
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
        Assert.Equal(842_496, expected);
        var prunable = PrunableParameters.Of(model).Select(p => p.Name).ToList();
        Assert.Equal(6 * c.Layers, prunable.Count);
        Assert.Contains("h.0.attn.q.weight", prunable);
        Assert.Contains("h.3.mlp_proj.weight", prunable);
        Assert.DoesNotContain(prunable, n => n.StartsWith("wte") || n.StartsWith("wpe") || n.Contains("ln"));
    }

    [Fact]
    public void Given_a_new_model_Then_weights_follow_gpt2s_initialization()
    {
        torch.manual_seed(2);
        using var model = new Gpt(new GptConfig(Layers: 8));
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.InRange(p["h.0.attn.q.weight"].std().item<float>(), 0.019, 0.021);
        Assert.InRange(p["h.0.mlp_fc.weight"].std().item<float>(), 0.019, 0.021);
        double residual = 0.02 / Math.Sqrt(16);
        Assert.InRange(p["h.0.attn.proj.weight"].std().item<float>(), 0.95 * residual, 1.05 * residual);
        Assert.InRange(p["h.7.mlp_proj.weight"].std().item<float>(), 0.95 * residual, 1.05 * residual);
        Assert.Equal(0, p["h.0.attn.q.bias"].abs().sum().item<float>());
        Assert.True(p["h.0.ln_1.weight"].eq(1).all().item<bool>());
        Assert.True(p["ln_f.weight"].eq(1).all().item<bool>());
        Assert.InRange(p["wte.weight"].std().item<float>(), 0.019, 0.021);
    }

    [Fact]
    public void Given_the_tied_head_Then_the_token_embedding_gets_gradient_from_input_and_output()
    {
        torch.manual_seed(3);
        using var model = new Gpt(new GptConfig(Vocabulary: 12, BlockSize: 4, Layers: 1, Heads: 1, Embedding: 8));
        var tokens = torch.tensor(new long[] { 1, 2, 3, 1 }, [1, 4]);
        var logits = model.call(tokens);
        // Only the output side can reach token 11, which is not in the input.
        logits[0, -1, 11].backward();
        var grad = model.named_parameters().Single(p => p.name == "wte.weight").parameter.grad!;
        Assert.True(grad[11].abs().sum().item<float>() > 0);
        Assert.Equal(1, model.named_parameters().Count(p => p.parameter.shape.SequenceEqual(new long[] { 12, 8 })));
    }

    [Fact]
    public void Given_one_attention_layer_Then_it_equals_a_naive_loop_over_heads_and_positions()
    {
        torch.manual_seed(4);
        var config = new GptConfig(Vocabulary: 10, BlockSize: 5, Layers: 1, Heads: 2, Embedding: 6);
        using var attention = new CausalSelfAttention(config, new LayerRoute());
        var x = torch.randn(2, 5, 6);
        using var _ = torch.no_grad();
        var y = attention.call(x);
        var p = attention.named_parameters().ToDictionary(n => n.name, n => n.parameter.to(ScalarType.Float64));
        var xd = x.to(ScalarType.Float64);
        Tensor Lin(string name, Tensor input) => input.matmul(p[name + ".weight"].t()) + p[name + ".bias"];
        var (q, k, v) = (Lin("q", xd), Lin("k", xd), Lin("v", xd));
        var concat = torch.zeros(2, 5, 6, dtype: ScalarType.Float64);
        int d = 3;
        for (int b = 0; b < 2; b++)
            for (int head = 0; head < 2; head++)
                for (int t = 0; t < 5; t++)
                {
                    var scores = new double[t + 1];
                    for (int s = 0; s <= t; s++)
                    {
                        double dot = 0;
                        for (int j = 0; j < d; j++) dot += q[b, t, head * d + j].item<double>() * k[b, s, head * d + j].item<double>();
                        scores[s] = dot / Math.Sqrt(d);
                    }
                    double max = scores.Max(), sum = scores.Sum(z => Math.Exp(z - max));
                    for (int j = 0; j < d; j++)
                    {
                        double acc = 0;
                        for (int s = 0; s <= t; s++) acc += Math.Exp(scores[s] - max) / sum * v[b, s, head * d + j].item<double>();
                        concat[b, t, head * d + j] = acc;
                    }
                }
        var expected = Lin("proj", concat);
        Assert.True(y.to(ScalarType.Float64).allclose(expected, rtol: 1e-5, atol: 1e-6));
    }
}
