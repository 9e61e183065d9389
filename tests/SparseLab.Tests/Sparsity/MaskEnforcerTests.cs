// Pruned weights stay exactly 0.0 after many steps whatever the optimizer —
// the bug users of other sparse libraries report most (METHODS §3).
using SparseLab.Foundations;
using SparseLab.Models;
using SparseLab.Sparsity;
using SparseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseLab.Tests.Sparsity;

public sealed class MaskEnforcerTests
{
    public static TheoryData<string, double, bool, double> Optimizers => new()
    {
        { "sgd", 0.9, false, 0 },        // momentum
        { "sgd", 0.9, true, 0 },         // Nesterov
        { "sgd", 0.9, false, 5e-3 },     // momentum + weight decay
        { "sgd", 0.0, false, 5e-3 },     // plain SGD + weight decay
        { "adam", 0.0, false, 0 },
        { "adam", 0.0, false, 1e-3 },    // Adam + L2
    };

    private static (nn.Module<Tensor, Tensor> Model, Mask Mask) SparseMlp()
    {
        torch.manual_seed(3);
        var model = ModelRegistry.Create(new ModelSpec("mlp", 1, 28, 28, 10));
        var gen = new torch.Generator(7);
        var mask = new Mask(PrunableParameters.Of(model).ToDictionary(
            p => p.Name, p => torch.rand(p.Weight.shape, generator: gen).gt(0.8).to(ScalarType.Float32)));   // about 80 % pruned
        return (model, mask);
    }

    private static void Train(nn.Module<Tensor, Tensor> model, OptimizerHelper optimizer, MaskEnforcer? enforcer, int steps)
    {
        var gen = new torch.Generator(11);
        for (int i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn([16, 1, 28, 28], generator: gen);
            var y = torch.randint(0, 10, [16], generator: gen);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(x), y).backward();
            enforcer?.MaskGradients();
            optimizer.step();
            enforcer?.ApplyToWeights();
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Given_a_mask_When_training_200_steps_Then_pruned_weights_and_their_optimizer_state_are_exactly_zero(
        string optimizer, double momentum, bool nesterov, double weightDecay)
    {
        var (model, mask) = SparseMlp();
        using var _ = model;
        using var __ = mask;
        var config = new OptimizationConfig { Optimizer = optimizer, Lr = optimizer == "adam" ? 1e-3 : 0.05, Momentum = momentum, Nesterov = nesterov, WeightDecay = weightDecay };
        using var opt = OptimizerFactory.Create(config, model.parameters());
        var prunable = PrunableParameters.Of(model);
        var enforcer = new MaskEnforcer(mask, prunable);
        enforcer.ApplyToWeights();
        Train(model, opt, enforcer, 200);

        foreach (var (name, w) in prunable)
        {
            var pruned = mask[name].eq(0);
            Assert.Equal(0L, w.masked_select(pruned).count_nonzero().item<long>());
            Assert.True(w.masked_select(pruned.logical_not()).count_nonzero().item<long>() > 0, $"{name} has no live weights left");
        }
        foreach (var (p, state) in OptimizerStates.Of(opt))
        {
            var match = prunable.FirstOrDefault(q => q.Weight.Handle == p.Handle);
            if (match.Name is null) continue;
            foreach (var t in state)
                Assert.Equal(0L, t.masked_select(mask[match.Name].eq(0)).count_nonzero().item<long>());
        }
    }

    [Fact]
    public void Given_a_mask_applied_once_without_enforcement_Then_weight_decay_and_momentum_revive_pruned_weights()
    {
        // The control: shows the test above can fail.
        var (model, mask) = SparseMlp();
        using var _ = model;
        using var __ = mask;
        using var opt = OptimizerFactory.Create(new OptimizationConfig { Momentum = 0.9, WeightDecay = 5e-3 }, model.parameters());
        var prunable = PrunableParameters.Of(model);
        new MaskEnforcer(mask, prunable).ApplyToWeights();
        Train(model, opt, enforcer: null, 20);
        var (name, w) = prunable[0];
        Assert.True(w.masked_select(mask[name].eq(0)).count_nonzero().item<long>() > 0);
    }

    [Fact]
    public void Given_momentum_accumulated_densely_When_a_mask_is_installed_Then_the_state_is_masked_too()
    {
        var (model, mask) = SparseMlp();
        using var _ = model;
        using var __ = mask;
        using var opt = OptimizerFactory.Create(new OptimizationConfig { Momentum = 0.9 }, model.parameters());
        Train(model, opt, enforcer: null, 3);                                   // dense momentum everywhere
        var prunable = PrunableParameters.Of(model);
        new MaskEnforcer(mask, prunable).MaskOptimizerState(opt);
        var (p, state) = OptimizerStates.Of(opt).First(s => s.Parameter.Handle == prunable[0].Weight.Handle);
        Assert.Equal(0L, state[0].masked_select(mask[prunable[0].Name].eq(0)).count_nonzero().item<long>());
    }
}
