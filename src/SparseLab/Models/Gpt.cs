// A decoder-only transformer language model (GPT-2: Radford et al. 2019;
// the layout of Karpathy's nanoGPT): token and learned position embeddings,
// `Layers` pre-LayerNorm blocks of causal multi-head self-attention and a 4×
// MLP with GELU, a final LayerNorm and an output head tied to the token
// embedding. The attention's q, k, v and output projections and the MLP's two
// matrices are Linear layers — what pruning applies to (Sparsity/
// PrunableParameters); the embeddings, LayerNorms and the tied head stay
// dense. Initialization as in GPT-2: weights normal(0, 0.02), the residual
// projections (attention output, MLP output) normal(0, 0.02/√(2·Layers)),
// biases 0, LayerNorm weight 1.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Models;

/// <summary>The GPT's shape. Defaults: about 0.84 M parameters (4 layers, 4 heads, 128 dimensions, block 128).</summary>
public sealed record GptConfig(int Vocabulary = 256, int BlockSize = 128, int Layers = 4, int Heads = 4, int Embedding = 128, double Dropout = 0)
{
    public void Validate()
    {
        if (Vocabulary < 2) throw new ArgumentException($"a vocabulary of {Vocabulary} tokens is too small");
        if (BlockSize < 1 || Layers < 1 || Heads < 1 || Embedding < 1)
            throw new ArgumentException($"block size {BlockSize}, {Layers} layers, {Heads} heads and {Embedding} dimensions must all be positive");
        if (Embedding % Heads != 0) throw new ArgumentException($"{Embedding} dimensions do not split into {Heads} heads");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"dropout {Dropout} is not in [0, 1)");
    }
}

internal sealed class Gpt : RoutedModule
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly Dropout drop;
    private readonly ModuleList<GptBlock> h;
    private readonly LayerNorm ln_f;
    private readonly GptConfig _config;

    public Gpt(GptConfig config) : base(nameof(Gpt))
    {
        config.Validate();
        _config = config;
        wte = Embedding(config.Vocabulary, config.Embedding);
        wpe = Embedding(config.BlockSize, config.Embedding);
        drop = Dropout(config.Dropout);
        h = new ModuleList<GptBlock>([.. Enumerable.Range(0, config.Layers).Select(_ => new GptBlock(config, Routes))]);
        ln_f = LayerNorm(config.Embedding);
        RegisterComponents();
        Initialize();
    }

    public GptConfig Config => _config;

    /// <summary>Logits (B, T, V) of the next token at every position of <paramref name="tokens"/> (B, T), int64, T ≤ BlockSize.</summary>
    public override Tensor forward(Tensor tokens)
    {
        long t = tokens.shape[1];
        if (t > _config.BlockSize) throw new ArgumentException($"a sequence of {t} tokens is longer than the block size {_config.BlockSize}");
        using var positions = torch.arange(t, dtype: ScalarType.Int64, device: tokens.device);
        var x = drop.call(wte.call(tokens) + wpe.call(positions));   // (B, T, C)
        foreach (var block in h) x = block.call(x);
        return functional.linear(ln_f.call(x), wte.weight!);         // tied head: (B, T, V)
    }

    private void Initialize()
    {
        using var _ = torch.no_grad();
        double residual = 0.02 / Math.Sqrt(2.0 * _config.Layers);
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (name.StartsWith("ln", StringComparison.Ordinal) || name.Contains(".ln")) p.fill_(1);
            else init.normal_(p, 0, name.EndsWith("proj.weight", StringComparison.Ordinal) ? residual : 0.02);
        }
    }
}

/// <summary>x + attn(ln_1(x)), then x + mlp(ln_2(x)).</summary>
internal sealed class GptBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly Linear mlp_fc;
    private readonly Linear mlp_proj;
    private readonly Dropout drop;
    private readonly LayerRoute _routes;

    public GptBlock(GptConfig config, LayerRoute routes) : base(nameof(GptBlock))
    {
        _routes = routes;
        ln_1 = LayerNorm(config.Embedding);
        attn = new CausalSelfAttention(config, routes);
        ln_2 = LayerNorm(config.Embedding);
        mlp_fc = Linear(config.Embedding, 4 * config.Embedding);
        mlp_proj = Linear(4 * config.Embedding, config.Embedding);
        drop = Dropout(config.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + attn.call(ln_1.call(x));
        var m = functional.gelu(_routes.Run(mlp_fc, ln_2.call(x)));
        return x + drop.call(_routes.Run(mlp_proj, m));
    }
}

/// <summary>Multi-head self-attention where position t attends to positions ≤ t (Vaswani et al. 2017, Eq. 1, with a causal mask).</summary>
internal sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear proj;
    private readonly Dropout attn_drop;
    private readonly Dropout resid_drop;
    private readonly int _heads;
    private readonly LayerRoute _routes;

    public CausalSelfAttention(GptConfig config, LayerRoute routes) : base(nameof(CausalSelfAttention))
    {
        (_heads, _routes) = (config.Heads, routes);
        q = Linear(config.Embedding, config.Embedding);
        k = Linear(config.Embedding, config.Embedding);
        v = Linear(config.Embedding, config.Embedding);
        proj = Linear(config.Embedding, config.Embedding);
        attn_drop = Dropout(config.Dropout);
        resid_drop = Dropout(config.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2], d = c / _heads;
        Tensor Heads(Linear layer) => _routes.Run(layer, x).view(b, t, _heads, d).transpose(1, 2);   // (B, H, T, D)
        var (qh, kh, vh) = (Heads(q), Heads(k), Heads(v));
        var scores = qh.matmul(kh.transpose(-2, -1)) / Math.Sqrt(d);                                 // (B, H, T, T)
        using var future = torch.ones(t, t, dtype: ScalarType.Bool, device: x.device).triu(1);
        var weights = attn_drop.call(functional.softmax(scores.masked_fill(future, float.NegativeInfinity), -1));
        var y = weights.matmul(vh).transpose(1, 2).contiguous().view(b, t, c);
        return resid_drop.call(_routes.Run(proj, y));
    }
}
