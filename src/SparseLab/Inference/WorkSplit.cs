// Splits a sparse product into work items of about equal cost, so threads
// finish together: rows are cut where the running count of stored weights
// (plus one per row for its loop overhead) crosses equal shares, and a wide
// activation (a convolution's unfolded input) is also cut along columns.
namespace SparseLab.Inference;

/// <summary>Rows [RowStart, RowEnd) × batch columns [ColStart, ColEnd) of one product.</summary>
internal readonly record struct WorkItem(int RowStart, int RowEnd, int ColStart, int ColEnd);

internal static class WorkSplit
{
    // Below this many multiply-adds a product runs on the calling thread: starting tasks would cost more.
    private const long SerialWork = 1 << 15;
    private const int ColumnChunk = 2048;   // a multiple of every vector tile (64 floats)

    /// <param name="costBefore">Cost of rows [0, i); costBefore(rows) is the total.</param>
    /// <param name="splitColumns">Whether a wide n may be cut too (not for products that reduce over n).</param>
    public static WorkItem[] Plan(int rows, int n, Func<int, long> costBefore, int threads, bool splitColumns = true)
    {
        long total = costBefore(rows);
        if (threads <= 1 || total * n < SerialWork) return [new WorkItem(0, rows, 0, n)];
        int colChunks = splitColumns && n > 2 * ColumnChunk ? (n + ColumnChunk - 1) / ColumnChunk : 1;
        int rowChunks = Math.Clamp(threads * 4 / colChunks, 1, rows);
        int step = colChunks > 1 ? ColumnChunk : n;
        var items = new List<WorkItem>(rowChunks * colChunks);
        int start = 0;
        for (int c = 1; c <= rowChunks && start < rows; c++)
        {
            int end = c == rowChunks ? rows : FirstRowReaching(total * c / rowChunks, start, rows, costBefore);
            if (end <= start) continue;
            for (int col = 0; col < n; col += step)
                items.Add(new WorkItem(start, end, col, Math.Min(n, col + step)));
            start = end;
        }
        return [.. items];
    }

    /// <summary>Runs every item, in parallel on up to <paramref name="threads"/> threads when there is more than one.</summary>
    public static void Run(WorkItem[] items, int threads, Action<WorkItem> body)
    {
        if (items.Length == 1) body(items[0]);
        else Parallel.For(0, items.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => body(items[i]));
    }

    // The smallest row r in (start, rows] with costBefore(r) >= target.
    private static int FirstRowReaching(long target, int start, int rows, Func<int, long> costBefore)
    {
        int lo = start + 1, hi = rows;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (costBefore(mid) >= target) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
