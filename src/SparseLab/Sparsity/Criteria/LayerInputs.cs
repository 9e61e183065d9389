// What the calibration-based criteria (Wanda, SparseGPT) see of one prunable
// layer: its input as a (tokens, features) matrix X, captured with a forward
// hook while calibration batches run through the model, and its weight as the
// (out, features) matrix W with W·xᵀ the layer's pre-bias output. Linear
// inputs (..., in) flatten every leading axis (batch, sequence) into tokens;
// Conv2d inputs are unfolded into patches (one token per output position,
// features (c, kh, kw) in unfold's channel-major order, matching
// weight.reshape(out, −1)). Other layer kinds are refused by name.
using SparseLab.Foundations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Sparsity.Criteria;

internal static class LayerInputs
{
    /// <summary>The module whose weight is <paramref name="weightName"/> (a state-dict name such as "fc1.weight").</summary>
    public static nn.Module ModuleOf(nn.Module model, string weightName)
    {
        foreach (var (name, module) in model.named_modules())
            if ((name.Length == 0 ? "weight" : name + ".weight") == weightName) return module;
        throw new SparseLabException($"the model has no module owning the prunable weight '{weightName}'");
    }

    /// <summary>Refuses layers whose input cannot be written as X with W·xᵀ their output.</summary>
    public static void CheckSupported(string criterion, string weightName, nn.Module module)
    {
        string? why = module switch
        {
            Linear => null,
            Conv2d c when c.groups != 1 => $"a grouped Conv2d (groups = {c.groups})",
            Conv2d c when c.padding_mode != PaddingModes.Zeros => $"a Conv2d with padding mode {c.padding_mode}",
            Conv2d c when c.padding is null && c.padding_type != Padding.Valid => "a Conv2d with padding 'same'",
            Conv2d => null,
            _ => $"a {module.GetType().Name}",
        };
        if (why is not null)
            throw new InvalidOptionException(
                $"pruning criterion '{criterion}' cannot handle layer '{weightName}': it is {why}; it handles Linear and ungrouped zero-padded Conv2d layers; keep that layer dense or use magnitude");
    }

    /// <summary>The layer input x as (tokens, features) rows, float64.</summary>
    public static Tensor Rows(nn.Module module, Tensor x)
    {
        switch (module)
        {
            case Linear l:
                return x.reshape(-1, l.weight!.shape[1]).to(ScalarType.Float64);          // (T, in)
            case Conv2d c:
                var w = c.weight!;                                                           // (Cout, Cin, kh, kw)
                var padding = c.padding is { } p ? (p[0], p[1]) : (0L, 0L);
                var u = Information.Im2Col.Unfold(x, w.shape[2], w.shape[3], (c.stride[0], c.stride[1]), padding,
                    (c.dilation[0], c.dilation[1]));                                         // (B, Cin·kh·kw, L)
                return u.transpose(1, 2).reshape(-1, u.shape[1]).to(ScalarType.Float64);    // (B·L, Cin·kh·kw)
            default:
                throw new SparseLabException($"no input rows for a {module.GetType().Name}");
        }
    }

    /// <summary>
    /// Runs every calibration input through the model in eval mode without gradients and calls
    /// <paramref name="accumulate"/> with the layer's input rows each time the layer runs; returns how many
    /// tokens it saw. The caller restores the model's mode (a ModelStateGuard).
    /// </summary>
    public static long Collect(nn.Module<Tensor, Tensor> model, nn.Module layer, IEnumerable<Tensor> inputs, Action<Tensor> accumulate)
    {
        long tokens = 0;
        model.eval();
        using var noGrad = torch.no_grad();
        var handle = ((nn.Module<Tensor, Tensor>)layer).register_forward_hook((m, x, y) =>
        {
            var rows = Rows(m, x);
            tokens += rows.shape[0];
            accumulate(rows);
            return y.alias();   // Sequential disposes intermediate outputs; the alias is the handle it may dispose
        });
        try
        {
            foreach (var input in inputs)
            {
                using var scope = torch.NewDisposeScope();
                model.call(input);
            }
        }
        finally
        {
            handle.remove();
        }
        return tokens;
    }

    /// <summary>The calibration inputs of a request (its scoring batches, labels unused).</summary>
    public static IEnumerable<Tensor> Inputs(PruningRequest request, string criterion)
    {
        bool any = false;
        foreach (var (input, _) in request.ScoringBatches())
        {
            any = true;
            yield return input;
        }
        if (!any) throw new InvalidOptionException($"pruning criterion '{criterion}' needs calibration batches, and none were given");
    }

    /// <summary>Per-layer keep counts from the budget; a budget that needs scores (global) gets them from <paramref name="scores"/>.</summary>
    public static IReadOnlyDictionary<string, long> KeepCounts(PruningRequest request, Func<Dictionary<string, Tensor>> scores)
    {
        try
        {
            return request.Budget.KeepCounts([.. request.Prunable.Select(p => (p.Name, p.Weight.shape))], request.Sparsity);
        }
        catch (NotSupportedException)
        {
            using var scope = torch.NewDisposeScope();
            using var mask = request.Budget.Select(scores(), request.Sparsity, request.Current);
            return mask.Layers.ToDictionary(l => l.Name, l => l.Nonzero, StringComparer.Ordinal);
        }
    }
}
