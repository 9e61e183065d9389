// The drop-and-grow update on its own: k = ⌊f(t)·nnz⌋ with the cosine decay,
// grow = drop in every sparse layer, dense layers left alone, the smallest
// |w| dropped, and the same draw for the same (seed, step).
using SparseLab.Schedules;
using SparseLab.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Schedules;

public sealed class DropAndGrowTests
{
    private static (nn.Module<Tensor, Tensor> Model, Mask Mask) Setup()
    {
        torch.manual_seed(2);
        var model = SparseLab.Models.ModelRegistry.Create(new SparseLab.Models.ModelSpec("mlp", 1, 28, 28, 10));
        var prunable = PrunableParameters.Of(model);
        var gen = new Generator(3);
        var mask = new Mask(prunable.ToDictionary(p => p.Name, p => p.Name == "fc1.weight"
            ? torch.rand(p.Weight.shape, generator: gen).gt(0.9).to(ScalarType.Float32)
            : torch.ones_like(p.Weight)));                                             // fc2, fc3 dense
        using (torch.no_grad())
            foreach (var (name, w) in prunable) w.mul_(mask[name]);
        return (model, mask);
    }

    [Fact]
    public void Given_a_set_update_Then_k_follows_the_cosine_decay_grow_equals_drop_and_dense_layers_are_untouched()
    {
        var (model, mask) = Setup();
        using var _ = model;
        using var __ = mask;
        var prunable = PrunableParameters.Of(model);
        var schedule = new SetSchedule(new UpdateWindow(0, 100, 10), 0.3, 0.9);
        long nnz = mask["fc1.weight"].count_nonzero().item<long>();
        var before = mask["fc1.weight"].clone();
        var w = prunable.Single(p => p.Name == "fc1.weight").Weight.detach().clone();

        var changes = schedule.Update(new MaskUpdateRequest(mask, prunable, 20, null, Seed: 1));

        long k = (long)Math.Floor(0.3 / 2 * (1 + Math.Cos(Math.PI * 20 / 100)) * nnz);
        var fc1 = changes.Single(c => c.Name == "fc1.weight");
        Assert.Equal(k, fc1.Dropped);
        Assert.Equal(k, fc1.Grown);
        Assert.Equal(nnz, mask["fc1.weight"].count_nonzero().item<long>());
        Assert.All(changes.Where(c => c.Name != "fc1.weight"), c => Assert.Equal(0, c.Dropped + c.Grown));
        // Dropped = the k active weights of smallest |w|: every surviving old weight is at least as large as every dropped one.
        var dropped = before.gt(0.5).logical_and(mask["fc1.weight"].lt(0.5)).logical_and(fc1.GrownPositions!.lt(0.5));
        var kept = before.gt(0.5).logical_and(mask["fc1.weight"].gt(0.5)).logical_and(fc1.GrownPositions!.lt(0.5));   // regrown ones were dropped first
        if (dropped.any().item<bool>())
            Assert.True(w.abs().masked_select(dropped).max().item<float>() <= w.abs().masked_select(kept).min().item<float>());
    }

    [Fact]
    public void Given_the_same_seed_and_step_Then_set_grows_the_same_positions()
    {
        var grown = new List<Tensor>();
        for (int i = 0; i < 2; i++)
        {
            var (model, mask) = Setup();
            using var _ = model;
            using var __ = mask;
            new SetSchedule(new UpdateWindow(0, 100, 10), 0.3, 0.9).Update(new MaskUpdateRequest(mask, PrunableParameters.Of(model), 10, null, Seed: 7));
            grown.Add(mask["fc1.weight"].clone());
        }
        Assert.True(grown[0].eq(grown[1]).all().item<bool>());
    }
}
