// Every criterion, on resnet20 at init and on perturbed weights (with a mask
// already in force), leaves parameters, buffers, gradients and training mode
// exactly as it found them, and keeps pruned positions pruned.
using SparseLab.Data;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class CriteriaLeaveModelUnchangedTests
{
    public static TheoryData<string, bool> EveryCriterion()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in CriterionRegistry.Names)
        {
            data.Add(name, false);
            data.Add(name, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCriterion))]
    public void GivenResNet20_WhenPruning_ThenTheModelIsBitIdenticalAndTheMaskIsValid(string name, bool perturbed)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = ModelRegistry.Create(new ModelSpec("resnet20", 3, 32, 32, 10));
        var input = new InputShape(3, 32, 32, 10);
        var batches = CriterionFixtures.Batches(1, 2, 4, [3, 32, 32], 10, ScalarType.Float32);
        // N:M cannot group conv1's 3 input channels: keep it dense, as --keep-first-dense would.
        var prunable = PrunableParameters.Of(model).Where(p => !name.StartsWith("nm:", StringComparison.Ordinal) || p.Name != "conv1.weight").ToList();
        Mask? current = null;
        if (perturbed)
        {
            using (torch.no_grad())
            {
                foreach (var p in model.parameters()) p.add_(torch.randn_like(p) * 0.05);
                foreach (var (_, b) in model.named_buffers()) if (b.is_floating_point()) b.add_(torch.rand_like(b));
            }
            current = new MagnitudeCriterion().Prune(CriterionFixtures.Request(model, 0.3, batches, input, prunable: prunable));
            model.eval();
        }
        else model.train();
        bool training = model.training;
        var before = CriterionFixtures.Snapshot(model);
        var criterion = name == "synflow" ? new SynFlowCriterion(rounds: 3) : CriterionRegistry.Create(name);

        using var mask = criterion.Prune(CriterionFixtures.Request(model, 0.6, batches, input, seed: 5, current: current, prunable: prunable));

        CriterionFixtures.AssertBitIdentical(model, before);
        Assert.Equal(training, model.training);
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
        Assert.Equal(prunable.Select(p => p.Name), mask.Names);
        Assert.InRange(mask.Sparsity, 0.49, 0.61);
        if (current is not null)
            foreach (var (layer, _) in prunable)
                Assert.Equal(0, (mask[layer] * (1 - current[layer])).sum().item<float>());
        current?.Dispose();
    }
}
