// Dynamic sparse training's update (SET, Mocanu et al. 2018; RigL, Evci et
// al. 2020, Algorithm 1; METHODS §4): every ΔT steps until T_end, in each
// layer drop the k = ⌊f(t)·nnz⌋ active weights of smallest |w| and grow k
// inactive ones by the method's score, with the cosine decay
//   f(t) = (α/2)·(1 + cos(π t / T_end)).
// Candidates for growth are the positions inactive after the drop, so a
// weight just dropped may come back (as in the RigL code); it restarts at 0
// like every grown weight. Drop and grow counts are equal in every layer, so
// each layer's sparsity, and the total, stay exactly where they started.
// A layer with no inactive weight (ERK can leave small layers dense) has no
// topology to explore and is left alone, rather than having weights reset to 0.
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Schedules;

public abstract class DropAndGrowSchedule(UpdateWindow window, double dropFraction, double sparsity) : MaskSchedule
{
    public override double StartSparsity => sparsity;
    public override bool UpdatesAt(long step) => window.Contains(step);

    /// <summary>f(t) = (α/2)(1 + cos(π t / T_end)).</summary>
    public double DropFractionAt(long step) => dropFraction / 2 * (1 + Math.Cos(Math.PI * step / window.End));

    /// <summary>Scores of the growth candidates, higher grows first (the layer's shape); inactive positions are picked from them.</summary>
    protected abstract Tensor GrowScores(MaskUpdateRequest request, string layer, Tensor weight, Generator generator);

    public override IReadOnlyList<LayerUpdate> Update(MaskUpdateRequest request)
    {
        var mask = request.Mask;
        double f = DropFractionAt(request.Step);
        // One generator per update, seeded by (run seed, step): a resumed run draws the same.
        using var generator = new Generator((ulong)(request.Seed * 1_000_003 + request.Step));
        var changes = new List<LayerUpdate>();
        using var _ = torch.no_grad();
        foreach (var (name, weight) in request.Prunable.Where(p => mask.Contains(p.Name)))
        {
            var m = mask[name].flatten();                                              // (n) 0/1
            long nnz = m.count_nonzero().item<long>();
            long k = (long)Math.Floor(f * nnz);
            if (k == 0 || nnz == m.numel()) { changes.Add(new LayerUpdate(name, 0, 0, null)); continue; }

            // Drop: the k active weights of smallest |w|.
            var dropScore = weight.detach().abs().flatten().to(ScalarType.Float32).masked_fill(m.eq(0), float.PositiveInfinity);
            var drop = dropScore.topk((int)k, largest: false).indexes;
            var afterDrop = m.clone().index_fill_(0, drop, 0);

            // Grow: the k inactive positions (after the drop) of highest score.
            var growScore = GrowScores(request, name, weight, generator).flatten().to(ScalarType.Float32)
                .masked_fill(afterDrop.eq(1), float.NegativeInfinity);
            var grow = growScore.topk((int)k, largest: true).indexes;
            var next = afterDrop.index_fill_(0, grow, 1);
            var grown = torch.zeros_like(m).index_fill_(0, grow, 1).view_as(weight);

            mask.Replace(name, next.view_as(weight));
            changes.Add(new LayerUpdate(name, k, k, grown));
        }
        return changes;
    }
}
