// The sparse kernels against a naive dense loop in double precision: odd
// sizes, empty and full rows, batch 1, sizes that are not multiples of the
// vector width, ReLU and bias, one and several threads.
using SparseLab.Inference;

namespace SparseLab.Tests.Inference;

public sealed class KernelTests
{
    internal static float[] Naive(float[] w, int rows, int cols, float[] x, int n, float[]? bias, bool relu)
    {
        var y = new float[rows * n];
        for (int i = 0; i < rows; i++)
            for (int t = 0; t < n; t++)
            {
                double s = bias?[i] ?? 0;
                for (int j = 0; j < cols; j++) s += (double)w[i * cols + j] * x[j * n + t];
                y[i * n + t] = relu && s < 0 ? 0 : (float)s;
            }
        return y;
    }

    internal static float[] Random(int count, Random rng, double keep = 1)
    {
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = rng.NextDouble() < keep ? (float)(rng.NextDouble() * 2 - 1) : 0f;
        return a;
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        double scale = Math.Max(1e-6, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * scale, $"at {i}: expected {expected[i]}, got {actual[i]}");
    }

    public static TheoryData<int, int, int, double, int> Cases => new()
    {
        { 1, 1, 1, 1.0, 1 },
        { 7, 13, 1, 0.3, 1 },        // batch 1: the dot-product path
        { 7, 13, 1, 0.3, 2 },
        { 33, 65, 3, 0.5, 2 },       // batch below every vector width
        { 17, 40, 16, 0.1, 2 },
        { 17, 40, 31, 0.2, 1 },      // one 16-tile, one 8-tile, 7 scalar columns
        { 64, 96, 64, 0.1, 2 },
        { 50, 37, 100, 0.05, 3 },    // 64 + 32 + 4: every tile width
        { 200, 300, 130, 0.1, 2 },
        { 9, 12, 5000, 0.5, 2 },     // wide: the product is also split along columns
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_a_random_sparse_weight_When_multiplied_by_csr_Then_it_matches_the_dense_loop(int rows, int cols, int n, double density, int threads)
    {
        var rng = new Random(rows * 31 + cols * 7 + n);
        var w = Random(rows * cols, rng, density);
        for (int j = 0; j < cols; j++) w[j] = 0;                             // row 0 empty
        if (rows > 1) for (int j = 0; j < cols; j++) w[cols + j] = 0.5f;     // row 1 full
        var x = Random(cols * n, rng);
        var bias = Random(rows, rng);
        foreach (bool relu in new[] { false, true })
        {
            var y = new float[rows * n];
            CsrMatrix.FromDense(w, rows, cols).Multiply(x, n, y, bias, relu, threads);
            AssertClose(Naive(w, rows, cols, x, n, bias, relu), y);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_a_two_four_weight_When_multiplied_by_nm_Then_it_matches_the_dense_loop(int rows, int cols, int n, double density, int threads)
    {
        _ = density;
        cols = (cols + 3) / 4 * 4;
        var rng = new Random(rows + cols + n);
        var w = Random(rows * cols, rng);
        for (int g = 0; g < w.Length; g += 4)   // keep a random pair of each group; some groups keep one or none
        {
            int a = rng.Next(4), b = rng.Next(4);
            for (int o = 0; o < 4; o++) if (o != a && o != b) w[g + o] = 0;
            if (g % 12 == 0) w[g + a] = 0;
        }
        var nm = NmMatrix.TryFromDense(w, rows, cols);
        Assert.NotNull(nm);
        Assert.Equal(w, nm.ToDense());
        var x = Random(cols * n, rng);
        var y = new float[rows * n];
        nm.Multiply(x, n, y, default, relu: false, threads);
        AssertClose(Naive(w, rows, cols, x, n, null, false), y);
    }

    [Fact]
    public void Given_a_group_with_three_nonzeros_Then_it_is_not_two_four()
    {
        Assert.Null(NmMatrix.TryFromDense([1, 1, 1, 0], 1, 4));
        Assert.Null(NmMatrix.TryFromDense([1, 0, 0, 0, 0, 0], 1, 6));   // 6 inputs are not groups of 4
    }

    [Fact]
    public void Given_a_matrix_with_no_nonzeros_Then_the_output_is_the_bias()
    {
        var csr = CsrMatrix.FromDense(new float[12], 3, 4);
        var y = new float[3 * 20];
        csr.Multiply(new float[4 * 20], 20, y, [1, -2, 3], relu: true, threads: 2);
        Assert.Equal([.. Enumerable.Repeat(1f, 20), .. Enumerable.Repeat(0f, 20), .. Enumerable.Repeat(3f, 20)], y);
    }

    [Fact]
    public void Given_buffers_too_small_Then_the_kernel_refuses_before_reading()
    {
        var csr = CsrMatrix.FromDense(Random(12, new Random(1)), 3, 4);
        Assert.Throws<ArgumentException>(() => csr.Multiply(new float[4 * 2 - 1], 2, new float[6], default, false, 1));
        Assert.Throws<ArgumentException>(() => csr.Multiply(new float[8], 2, new float[5], default, false, 1));
        Assert.Throws<ArgumentException>(() => csr.Multiply(new float[8], 2, new float[6], new float[2], false, 1));
    }
}
