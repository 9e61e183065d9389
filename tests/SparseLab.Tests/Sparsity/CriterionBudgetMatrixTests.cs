// Every criterion × budget prunes resnet20 and lenet5 to the target sparsity,
// within one weight per layer, at initialization (the acceptance grid).
using SparseLab.Data;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Sparsity.Criteria;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity;

[Trait("Category", "Slow")]
public sealed class CriterionBudgetMatrixTests
{
    public static TheoryData<string, string, string> Grid()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var model in new[] { "resnet20", "lenet5" })
            foreach (var criterion in new[] { "magnitude", "random", "snip", "grasp", "synflow", "fisher" })
                foreach (var budget in BudgetRegistry.Names)
                    data.Add(model, criterion, budget);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Given_a_criterion_and_a_budget_When_pruning_at_init_Then_the_target_sparsity_is_met(string model, string criterion, string budget)
    {
        var input = model == "lenet5" ? new InputShape(1, 28, 28, 10) : new InputShape(3, 32, 32, 10);
        torch.manual_seed(5);
        using var net = ModelRegistry.Create(new ModelSpec(model, input.Channels, input.Height, input.Width, input.NumClasses));
        var prunable = PrunableParameters.Of(net);
        var gen = new torch.Generator(9);
        var x = torch.randn([8, input.Channels, input.Height, input.Width], generator: gen);
        var y = torch.randint(0, input.NumClasses, [8], generator: gen);
        const double target = 0.9;
        using var mask = Pruning.Run(new PruningOptions(target, criterion, budget, null, 1, 1, false),
            net, prunable, () => [(x, y)], input, _ => { });

        long total = mask.Total;
        Assert.InRange(mask.Nonzero, (long)Math.Round((1 - target) * total) - mask.Names.Count, (long)Math.Round((1 - target) * total) + mask.Names.Count);
        if (budget == "uniform")
            foreach (var l in mask.Layers)
                Assert.InRange(l.Nonzero, (long)Math.Round(0.1 * l.Total) - 1, (long)Math.Round(0.1 * l.Total) + 1);
    }

    [Theory]
    [InlineData("resnet20", "nm:2:4")]
    [InlineData("lenet5", "nm:1:2")]
    public void Given_nm_with_the_first_layer_dense_Then_every_group_keeps_exactly_n(string model, string criterion)
    {
        var input = model == "lenet5" ? new InputShape(1, 28, 28, 10) : new InputShape(3, 32, 32, 10);
        torch.manual_seed(5);
        using var net = ModelRegistry.Create(new ModelSpec(model, input.Channels, input.Height, input.Width, input.NumClasses));
        var prunable = PrunableParameters.Of(net, keepFirstDense: true);
        using var mask = Pruning.Run(new PruningOptions(0, criterion, "global", null, 1, 1, false), net, prunable, () => [], input, _ => { });
        var parts = criterion.Split(':');
        int n = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), m = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1.0 - (double)n / m, mask.Sparsity, 6);
        foreach (var name in mask.Names)
        {
            var t = mask[name];
            var groups = (t.dim() == 4 ? t.permute(0, 2, 3, 1) : t).reshape(-1, m);   // input dimension innermost
            Assert.True(groups.sum(1).eq(n).all().item<bool>(), $"{name}: some group of {m} does not keep exactly {n}");
        }
    }
}
