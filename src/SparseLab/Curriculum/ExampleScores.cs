// Per-example difficulty scores of a training set and their CSV form: a header
// `index,label,<column>...`, one row per example. Scores are written with the
// round-trip format, so a cached file reloads bit-identically. Reading checks the
// file against the dataset it is meant for: one row per training example, every
// index once, and the same labels (a file scored on another dataset or split fails).
using System.Globalization;
using System.Text;
using SparseLab.Foundations;

namespace SparseLab.Curriculum;

/// <summary>Scores[i] belongs to training row i, whose label is Labels[i].</summary>
public sealed record ExampleScores(double[] Scores, long[] Labels)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void Save(string path, string column = "score")
    {
        var sb = new StringBuilder($"index,label,{column}\n");
        for (int i = 0; i < Scores.Length; i++)
            sb.Append(i.ToString(Inv)).Append(',').Append(Labels[i].ToString(Inv)).Append(',').Append(Scores[i].ToString("R", Inv)).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// Reads column (or the only score column when null) of a score CSV and checks it against the
    /// training labels; throws DataException naming the file and the first problem.
    /// </summary>
    public static ExampleScores Load(string path, IReadOnlyList<long> expectedLabels, string? column = null)
    {
        if (!File.Exists(path)) throw new DataException($"score file '{path}' does not exist");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new DataException($"score file '{path}' is empty; expected a header index,label,<score column>");
        var header = lines[0].Split(',', StringSplitOptions.TrimEntries);
        if (header.Length < 3 || header[0] != "index" || header[1] != "label")
            throw new DataException($"score file '{path}': the header must start with index,label and name at least one score column (found '{lines[0]}')");
        int col;
        if (column is null)
        {
            if (header.Length != 3)
                throw new DataException($"score file '{path}' has several score columns ({string.Join(", ", header.Skip(2))}); name one as file:PATH#COLUMN");
            col = 2;
        }
        else
        {
            col = Array.IndexOf(header, column, 2);
            if (col < 0) throw new DataException($"score file '{path}' has no column '{column}'; its columns are {string.Join(", ", header.Skip(2))}");
        }

        int n = expectedLabels.Count;
        var rows = lines.Skip(1).Where(l => l.Length > 0).ToList();
        if (rows.Count != n)
            throw new DataException($"score file '{path}' has {rows.Count} rows but the training set has {n} examples; score the same data (dataset, training limit, validation split, label noise) the run trains on");
        var scores = new double[n];
        var seen = new bool[n];
        for (int r = 0; r < n; r++)
        {
            var f = rows[r].Split(',');
            if (f.Length != header.Length)
                throw new DataException($"score file '{path}', line {r + 2}: {f.Length} fields, the header has {header.Length}");
            if (!long.TryParse(f[0], NumberStyles.Integer, Inv, out long index) || index < 0 || index >= n)
                throw new DataException($"score file '{path}', line {r + 2}: index '{f[0]}' is not a row of the training set (0..{n - 1})");
            if (seen[index]) throw new DataException($"score file '{path}', line {r + 2}: index {index} appears twice");
            if (!long.TryParse(f[1], NumberStyles.Integer, Inv, out long label) || label != expectedLabels[(int)index])
                throw new DataException($"score file '{path}', line {r + 2}: label '{f[1]}' of example {index} differs from the training set's {expectedLabels[(int)index]}; was it scored on another dataset?");
            if (!double.TryParse(f[col], NumberStyles.Float, Inv, out double score) || !double.IsFinite(score))
                throw new DataException($"score file '{path}', line {r + 2}: score '{f[col]}' is not a finite number");
            seen[index] = true;
            scores[index] = score;
        }
        return new ExampleScores(scores, [.. expectedLabels]);
    }
}
