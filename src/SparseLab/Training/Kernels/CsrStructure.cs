// Where a mask keeps the weights of one (rows × cols) layer, in the two CSR
// orders sparse training multiplies with: rows of W for the forward product
// Y = W·X, and rows of Wᵀ for the input gradient dX = Wᵀ·dY, with each entry's
// index into W's values (Transposed[p] = k), so the transposed values are one
// gather per step. Flat holds i·cols + j for every stored weight, in W's order:
// the positions a layer's compact values take in its dense weight.
using SparseLab.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Training.Kernels;

internal sealed class CsrStructure
{
    private CsrStructure(int rows, int cols, long[] flat)
    {
        Rows = rows;
        Cols = cols;
        Flat = flat;
        RowPtr = new int[rows + 1];
        ColIdx = new int[flat.Length];
        var colCount = new int[cols + 1];
        for (int k = 0; k < flat.Length; k++)
        {
            int i = (int)(flat[k] / cols), j = (int)(flat[k] % cols);
            RowPtr[i + 1]++;
            ColIdx[k] = j;
            colCount[j + 1]++;
        }
        for (int i = 0; i < rows; i++) RowPtr[i + 1] += RowPtr[i];
        for (int j = 0; j < cols; j++) colCount[j + 1] += colCount[j];
        TRowPtr = (int[])colCount.Clone();
        TColIdx = new int[flat.Length];
        Transposed = new int[flat.Length];
        var next = colCount;   // reused as each column's fill position
        for (int i = 0; i < rows; i++)
            for (int k = RowPtr[i]; k < RowPtr[i + 1]; k++)
            {
                int p = next[ColIdx[k]]++;
                TColIdx[p] = i;
                Transposed[p] = k;
            }
        CsrMatrix.CheckStructure(rows, cols, RowPtr, ColIdx, "sparse training layer");
        CsrMatrix.CheckStructure(cols, rows, TRowPtr, TColIdx, "sparse training layer (transposed)");
    }

    public int Rows { get; }
    public int Cols { get; }
    public int Stored => ColIdx.Length;
    public int[] RowPtr { get; }
    public int[] ColIdx { get; }
    public int[] TRowPtr { get; }
    public int[] TColIdx { get; }
    public int[] Transposed { get; }
    public long[] Flat { get; }

    /// <summary>The structure of a 0/1 mask of shape (rows, cols), row-major.</summary>
    public static CsrStructure FromMask(Tensor mask)
    {
        if (mask.dim() != 2) throw new ArgumentException($"a Linear mask has 2 dimensions, this one {mask.dim()}");
        using var _ = torch.no_grad();
        using var cpu = mask.cpu().reshape(-1);
        using var nz = cpu.nonzero().reshape(-1);   // ascending: W's row-major order
        return new CsrStructure((int)mask.shape[0], (int)mask.shape[1], nz.data<long>().ToArray());
    }
}
