// Pins the model zoo: output shapes, exact parameter counts, PyTorch-style
// state-dict keys, width scaling, seeding, kaiming init, option errors and
// that gradients reach every parameter.
using SparseLab.Foundations;
using SparseLab.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparseLab.Tests.Models;

// Seeding tests read torch's global generator, so this class runs alone, after
// the parallel ones, where no other test draws random numbers meanwhile.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchSeedCollection
{
    public const string Name = "Models: global torch seed";
}

[Collection(GlobalTorchSeedCollection.Name)]
public sealed class ModelRegistryTests
{
    private static readonly ModelSpec Mnist = new("mlp", 1, 28, 28, 10);
    private static readonly ModelSpec Cifar = new("mlp", 3, 32, 32, 10);

    public static TheoryData<string, int, int, int> EveryModelAndInput()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var name in ModelRegistry.Classifiers)
        {
            data.Add(name, 1, 28, 10);
            data.Add(name, 3, 32, 100);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryModelAndInput))]
    public void GivenEveryModelAndInputShape_WhenForwardingABatchOfTwo_ThenLogitsAreBatchByClasses(
        string name, int channels, int side, int classes)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = ModelRegistry.Create(new ModelSpec(name, channels, side, side, classes));

        var logits = model.forward(torch.randn(2, channels, side, side));

        Assert.Equal(new long[] { 2, classes }, logits.shape);
        Assert.True(torch.isfinite(logits).all().item<bool>());
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("lenet5")]
    [InlineData("resnet20")]
    [InlineData("vgg11")]
    public void GivenABatchOfOne_WhenForwardingInTrainingMode_ThenItWorks(string name)
    {
        using var scope = torch.NewDisposeScope();
        var model = ModelRegistry.Create(Mnist with { Name = name });
        model.train();

        var logits = model.forward(torch.randn(1, 1, 28, 28));

        Assert.Equal(new long[] { 1, 10 }, logits.shape);
    }

    // By hand, 1x28x28 input and 10 classes:
    //   mlp:    784*300+300 + 300*100+100 + 100*10+10       = 235,500 + 30,100 + 1,010 = 266,610
    //   lenet5: conv1 6*1*5*5+6 = 156; conv2 16*6*5*5+16 = 2,416; fc1 400*120+120 = 48,120;
    //           fc2 120*84+84 = 10,164; fc3 84*10+10 = 850    = 61,706
    [Theory]
    [InlineData("mlp", 266_610)]
    [InlineData("mlp-wide", 3_812_810)]   // 784-2400-800-10, as bench/peers/train_throughput.py builds it
    [InlineData("lenet5", 61_706)]
    public void GivenMnistInput_WhenCountingParameters_ThenTheyMatchTheHandCount(string name, long expected)
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(expected, ParameterCount(ModelRegistry.Create(Mnist with { Name = name })));
    }

    // Option-A CIFAR ResNets (He et al. 2016, Table 6: 0.27M, 0.46M, 0.85M), 3x32x32 and 10 classes.
    // Stem: conv1 3*16*9 = 432 + bn1 32 = 464; fc 64*10+10 = 650. One block per stage adds
    // 2*(16*16*9)+4*16 = 4,672 + 2*(32*32*9)+4*32 = 18,560 + 2*(64*64*9)+4*64 = 73,984 = 97,216,
    // less the first blocks of layer2/3, which map 16->32 and 32->64: 16*32*9 - 32*32*9 = -4,608 and
    // 32*64*9 - 64*64*9 = -18,432. resnet20 (n = 3): 464 + 650 + 3*97,216 - 23,040 = 269,722;
    // each extra block per stage adds 97,216: resnet32 = 464,154, resnet56 = 853,018.
    // (272,474 would be resnet20 with option-B 1x1-conv+BN projection shortcuts: +2,752.)
    [Theory]
    [InlineData("resnet20", 269_722)]
    [InlineData("resnet32", 464_154)]
    [InlineData("resnet56", 853_018)]
    public void GivenCifarResNets_WhenCountingParameters_ThenTheyMatchThePaper(string name, long expected)
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(expected, ParameterCount(ModelRegistry.Create(Cifar with { Name = name })));
    }

    [Theory]
    [InlineData("resnet20", "conv1.weight", new long[] { 16, 3, 3, 3 })]
    [InlineData("resnet20", "bn1.weight", new long[] { 16 })]
    [InlineData("resnet20", "layer1.0.conv1.weight", new long[] { 16, 16, 3, 3 })]
    [InlineData("resnet20", "layer2.0.conv1.weight", new long[] { 32, 16, 3, 3 })]
    [InlineData("resnet20", "layer3.2.bn2.running_mean", new long[] { 64 })]
    [InlineData("resnet20", "fc.weight", new long[] { 10, 64 })]
    [InlineData("vgg11", "features.0.weight", new long[] { 64, 3, 3, 3 })]
    [InlineData("vgg11", "features.1.running_var", new long[] { 64 })]
    [InlineData("vgg11", "classifier.weight", new long[] { 10, 512 })]
    [InlineData("vgg16", "features.40.bias", new long[] { 512 })]
    [InlineData("mlp", "fc1.weight", new long[] { 300, 3072 })]
    [InlineData("lenet5", "conv2.weight", new long[] { 16, 6, 5, 5 })]
    public void GivenAModel_WhenReadingItsStateDict_ThenKeysAreNamedLikePyTorch(string name, string key, long[] shape)
    {
        using var scope = torch.NewDisposeScope();
        var state = ModelRegistry.Create(Cifar with { Name = name }).state_dict();

        Assert.True(state.ContainsKey(key), $"{name} has no '{key}'; keys: {string.Join(", ", state.Keys.Take(12))}...");
        Assert.Equal(shape, state[key].shape);
    }

    [Fact]
    public void GivenAWidthMultiplier_WhenBuilding_ThenChannelCountsScale()
    {
        using var scope = torch.NewDisposeScope();
        var resnet = ModelRegistry.Create(Cifar with { Name = "resnet20", WidthMultiplier = 0.5 }).state_dict();
        var vgg = ModelRegistry.Create(Cifar with { Name = "vgg11", WidthMultiplier = 2.0 }).state_dict();

        Assert.Equal(new long[] { 8, 3, 3, 3 }, resnet["conv1.weight"].shape);
        Assert.Equal(new long[] { 16, 8, 3, 3 }, resnet["layer2.0.conv1.weight"].shape);
        Assert.Equal(new long[] { 10, 32 }, resnet["fc.weight"].shape);
        Assert.Equal(new long[] { 128, 3, 3, 3 }, vgg["features.0.weight"].shape);
        Assert.Equal(new long[] { 10, 1024 }, vgg["classifier.weight"].shape);
    }

    [Fact]
    public void GivenAnOddChannelIncrease_WhenForwardingAResNet_ThenTheOptionAShortcutStillFits()
    {
        using var scope = torch.NewDisposeScope();
        // w = 0.3: 16w -> 5, 32w -> 10 (round half to even of 9.6 -> 10), 64w -> 19: odd pad of 9.
        var model = ModelRegistry.Create(Cifar with { Name = "resnet20", WidthMultiplier = 0.3 });

        Assert.Equal(new long[] { 2, 10 }, model.forward(torch.randn(2, 3, 32, 32)).shape);
    }

    [Fact]
    public void GivenTheSameSeed_WhenBuildingTwice_ThenWeightsAreIdentical_AndADifferentSeedDiffers()
    {
        using var scope = torch.NewDisposeScope();
        var spec = Cifar with { Name = "resnet20" };
        torch.manual_seed(7);
        var a = ModelRegistry.Create(spec).state_dict();
        torch.manual_seed(7);
        var b = ModelRegistry.Create(spec).state_dict();
        torch.manual_seed(8);
        var c = ModelRegistry.Create(spec).state_dict();

        foreach (var key in a.Keys)
            Assert.True(a[key].eq(b[key]).all().item<bool>(), $"'{key}' differs for equal seeds");
        Assert.False(a["layer1.0.conv1.weight"].eq(c["layer1.0.conv1.weight"]).all().item<bool>());
        Assert.False(a["fc.weight"].eq(c["fc.weight"]).all().item<bool>());
    }

    [Fact]
    public void GivenAFreshModel_WhenReadingWeights_ThenTheyFollowKaimingNormalAndZeroBiases()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var mlp = ModelRegistry.Create(Mnist).state_dict();
        var resnet = ModelRegistry.Create(Cifar with { Name = "resnet20" }).state_dict();

        // fc1: 235,200 draws from N(0, 2 / fan_in), fan_in = 784 (He et al. 2015, eq. 10).
        double std = mlp["fc1.weight"].std().item<float>();
        double expected = Math.Sqrt(2.0 / 784);
        Assert.InRange(std / expected, 0.95, 1.05);
        Assert.Equal(0.0, mlp["fc1.bias"].abs().max().item<float>());
        Assert.True(resnet["bn1.weight"].eq(1).all().item<bool>());
        Assert.True(resnet["bn1.bias"].eq(0).all().item<bool>());
    }

    [Fact]
    public void GivenAnUnknownName_WhenCreating_ThenInvalidOptionListsTheValidNames()
    {
        var ex = Assert.ThrowsAny<InvalidOptionException>(() => ModelRegistry.Create(Cifar with { Name = "resnet18" }));

        Assert.Equal(2, ex.ExitCode);
        Assert.Contains("resnet18", ex.Message);
        foreach (var name in ModelRegistry.Names) Assert.Contains(name, ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void GivenAWidthThatIsNotPositive_WhenCreating_ThenInvalidOptionNamesTheWidthAndTheModel(double width)
    {
        var ex = Assert.ThrowsAny<InvalidOptionException>(
            () => ModelRegistry.Create(Cifar with { Name = "vgg11", WidthMultiplier = width }));

        Assert.StartsWith("width ", ex.Message);
        Assert.Contains("vgg11", ex.Message);
    }

    [Theory]
    [InlineData(3, 64, 64, 10)]
    [InlineData(0, 32, 32, 10)]
    [InlineData(3, 32, 32, 1)]
    public void GivenAnUnsupportedInputOrClassCount_WhenCreating_ThenInvalidOption(int c, int h, int w, int classes)
    {
        Assert.ThrowsAny<InvalidOptionException>(() => ModelRegistry.Create(new ModelSpec("lenet5", c, h, w, classes)));
    }

    [Fact]
    public void GivenResNet20_WhenBackpropagatingALoss_ThenEveryParameterGetsAGradient()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var model = ModelRegistry.Create(Cifar with { Name = "resnet20" });
        model.train();

        var logits = model.forward(torch.randn(2, 3, 32, 32));
        var loss = functional.cross_entropy(logits, torch.tensor(new long[] { 1, 7 }));
        loss.backward();

        foreach (var (name, p) in model.named_parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(torch.isfinite(p.grad!).all().item<bool>(), $"'{name}' has a non-finite gradient");
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"'{name}' has an all-zero gradient");
        }
    }

    [Fact]
    public void GivenTheRegistry_WhenListingNames_ThenEveryArchitectureAppears()
    {
        Assert.Equal(new[] { "mlp", "mlp-wide", "lenet5", "resnet20", "resnet32", "resnet56", "vgg11", "vgg16", "gpt", "unet" }, ModelRegistry.Names);
        Assert.DoesNotContain("unet", ModelRegistry.Classifiers);
        Assert.DoesNotContain("gpt", ModelRegistry.Classifiers);
    }

    private static long ParameterCount(Module<Tensor, Tensor> model) => model.parameters().Sum(p => p.numel());
}
