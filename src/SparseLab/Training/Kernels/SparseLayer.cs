// One masked layer trained on sparse kernels: its kept weights as a compact
// parameter (one value per stored weight, in the row-major order of the weight
// seen as rows × fan-in), the optimizer steps those, and the layer's dense
// weight is written from them after every step (nnz writes), so evaluation,
// probes, mask schedules and checkpoints see an ordinary masked layer. Pack
// rebuilds the compact form from the dense weight when the mask changes.
// SparseLinear and SparseConv2d add the products.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

internal abstract class SparseLayer(string name, Parameter weight, Parameter? bias) : IDisposable
{
    private float[] _transposed = [];
    private Tensor? _flat;

    public string Name { get; } = name;
    public Parameter Weight { get; } = weight;
    public Parameter? Bias { get; } = bias;
    public CsrStructure Structure { get; private set; } = null!;
    public Parameter Values { get; private set; } = null!;

    /// <summary>Set for a step whose dense gradient a mask schedule reads (RigL); the backward pass then leaves it in DenseGradient.</summary>
    public bool KeepDenseGradient { get; set; }
    public Tensor? DenseGradient { get; set; }

    public double Density => (double)Structure.Stored / ((long)Structure.Rows * Structure.Cols);

    /// <summary>The layer's output on the sparse kernels.</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>Structure from the mask, values from the dense weight at the kept positions.</summary>
    public void Pack(Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        Structure = CsrStructure.FromMask(mask.reshape(mask.shape[0], -1));
        _flat?.Dispose();
        _flat = torch.tensor(Structure.Flat, dtype: ScalarType.Int64).DetachFromDisposeScope();
        Values?.Dispose();
        Values = (Parameter)new Parameter(Gather(Weight).contiguous(), requires_grad: true).DetachFromDisposeScope();
        _transposed = new float[Structure.Stored];
        OnPack();
    }

    /// <summary>After Pack: structures the subclass derives from the new one.</summary>
    protected virtual void OnPack() { }

    /// <summary>A dense-shaped tensor's entries at the kept positions, in the compact order.</summary>
    public Tensor Gather(Tensor dense) => dense.detach().reshape(-1).index_select(0, _flat!);

    /// <summary>dense ← 0 everywhere, compact at the kept positions.</summary>
    public void Scatter(Tensor compact, Tensor dense)
    {
        using var _ = torch.no_grad();
        dense.zero_();
        dense.view(-1).index_copy_(0, _flat!, compact.detach());
    }

    /// <summary>The dense weight's kept positions ← the compact values (its other positions are zero and stay so).</summary>
    public void WriteBack()
    {
        using var _ = torch.no_grad();
        Weight.view(-1).index_copy_(0, _flat!, Values.detach());
    }

    /// <summary>The values in Wᵀ's CSR order, gathered for this step's input gradient.</summary>
    public ReadOnlySpan<float> TransposedValues()
    {
        var v = TensorMemory.Floats(Values);
        var order = Structure.Transposed;
        for (int p = 0; p < order.Length; p++) _transposed[p] = v[order[p]];
        return _transposed;
    }

    public virtual void Dispose()
    {
        Values?.Dispose();
        _flat?.Dispose();
    }
}
