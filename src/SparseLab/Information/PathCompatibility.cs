// The checks that make a linear path meaningful: both ends are the same
// architecture (same parameter names and shapes), they share one mask, and the
// mask and the scratch model fit them. Each error names the first difference.
using SparseLab.Foundations;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Information;

public static class PathCompatibility
{
    /// <summary>Same parameter and buffer names with the same shapes, else InvalidOptionException ("different models").</summary>
    public static void CheckSameModel(StateSource a, StateSource b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        string? difference = FirstDifference(Shapes(a), Shapes(b), a.Label, b.Label);
        if (difference is not null)
            throw new InvalidOptionException($"{a.Label} and {b.Label} are different models: {difference}");
    }

    /// <summary>The scratch model must have exactly the parameters and buffers of the state.</summary>
    public static void CheckFits(StateSource state, nn.Module model)
    {
        var modelShapes = new List<(string Name, long[] Shape)>();
        foreach (var (name, p) in model.named_parameters())
            if (p.requires_grad) modelShapes.Add((name, p.shape));
        foreach (var (name, b) in model.named_buffers())
            modelShapes.Add((name, b.shape));
        string? difference = FirstDifference(Shapes(state), modelShapes, state.Label, "the model");
        if (difference is not null)
            throw new InvalidOptionException($"{state.Label} and the model it is loaded into are different models: {difference}");
    }

    /// <summary>Both ends dense, or both with equal masks (same layers, same 0/1 pattern); else InvalidOptionException ("different masks").</summary>
    public static void CheckSameMask(Mask? a, Mask? b, string labelA, string labelB)
    {
        if (a is null && b is null) return;
        if (a is null || b is null)
        {
            var (masked, dense, mask) = a is null ? (labelB, labelA, b!) : (labelA, labelB, a);
            throw new InvalidOptionException(
                $"{labelA} and {labelB} have different masks: {masked} trained with a mask (first masked layer '{mask.Names.FirstOrDefault()}') and {dense} trained densely");
        }
        foreach (var name in a.Names)
        {
            if (!b.Contains(name))
                throw new InvalidOptionException($"{labelA} and {labelB} have different masks: layer '{name}' is masked in {labelA} but not in {labelB}");
            Tensor ma = a[name], mb = b[name];
            if (!ma.shape.SequenceEqual(mb.shape))
                throw new InvalidOptionException(
                    $"{labelA} and {labelB} have different masks: layer '{name}' has shape ({Join(ma.shape)}) in {labelA} and ({Join(mb.shape)}) in {labelB}");
            using var scope = torch.NewDisposeScope();
            long differing = ma.ne(mb).sum().item<long>();
            if (differing > 0)
                throw new InvalidOptionException(
                    $"{labelA} and {labelB} have different masks: layer '{name}' differs at {differing} of {ma.numel()} positions");
        }
        var extra = b.Names.FirstOrDefault(n => !a.Contains(n));
        if (extra is not null)
            throw new InvalidOptionException($"{labelA} and {labelB} have different masks: layer '{extra}' is masked in {labelB} but not in {labelA}");
    }

    /// <summary>Every mask layer is a parameter of the state with the same shape.</summary>
    public static void CheckMaskFits(Mask mask, StateSource state)
    {
        foreach (var name in mask.Names)
        {
            if (!state.Parameters.TryGetValue(name, out var p))
                throw new InvalidOptionException($"the mask does not fit {state.Label}: it has a layer '{name}' that is not a parameter of the model");
            if (!p.shape.SequenceEqual(mask[name].shape))
                throw new InvalidOptionException(
                    $"the mask does not fit {state.Label}: layer '{name}' has shape ({Join(mask[name].shape)}) in the mask and ({Join(p.shape)}) in the model");
        }
    }

    private static List<(string Name, long[] Shape)> Shapes(StateSource s) =>
        [.. s.Parameters.Select(kv => (kv.Key, kv.Value.shape)), .. s.Buffers.Select(kv => (kv.Key, kv.Value.shape))];

    private static string? FirstDifference(IReadOnlyList<(string Name, long[] Shape)> a, IReadOnlyList<(string Name, long[] Shape)> b, string labelA, string labelB)
    {
        var inB = b.ToDictionary(x => x.Name, x => x.Shape);
        foreach (var (name, shape) in a)
        {
            if (!inB.TryGetValue(name, out var other))
                return $"'{name}' is in {labelA} but not in {labelB}";
            if (!shape.SequenceEqual(other))
                return $"'{name}' has shape ({Join(shape)}) in {labelA} and ({Join(other)}) in {labelB}";
        }
        var inA = a.Select(x => x.Name).ToHashSet();
        var extra = b.FirstOrDefault(x => !inA.Contains(x.Name));
        return extra.Name is null ? null : $"'{extra.Name}' is in {labelB} but not in {labelA}";
    }

    private static string Join(long[] shape) => string.Join(", ", shape);
}
