// Run identity: the canonical string and hash of a run's config name its
// folder. These were computed before the config was split into records by
// concept (and by the flat TrainConfig of that time, except the nm:2:4 case,
// whose sparsity the old code never checked); they must never change, or
// every finished run would be trained again.
using System.Globalization;
using SparseLab.Cli.Commands;
using SparseLab.Foundations;
using SparseLab.Studies;
using SparseLab.Training;

namespace SparseLab.Tests.Foundations;

public sealed class ConfigHashTests
{
    public static TheoryData<string, string, string> Pinned => new()
    {
        { "", "", "e3b0c44298fc" },
        { "--model mlp --epochs 30 --limit-train 3000 --seed 2 --fisher-every epoch --fisher-samples 512", "Epochs=30;LimitTrain=3000;Model=mlp;Seed=2", "71f5479be856" },
        { "--sparsity 0.9", "Sparsity=0.9", "6153a55f5a8f" },
        { "--sparsity 0.95 --criterion snip --budget erk --layer-sparsity conv1.weight=0.5 --keep-last-dense --score-batches 4", "Budget=erk;Criterion=snip;KeepLastDense=True;LayerSparsity=conv1.weight=0.5;ScoreBatches=4;Sparsity=0.95", "cee2055aeb61" },
        { "--model resnet20 --dataset cifar10 --width 2 --lr-schedule step --milestones 80,120 --gamma 0.2 --warmup 1.5ep --nesterov --weight-decay 1e-4 --lr 0.1 --epochs 160", "Dataset=cifar10;Epochs=160;Gamma=0.2;Lr=0.1;LrSchedule=step;Milestones=[80,120];Model=resnet20;Nesterov=True;WarmupEpochs=1.5;WeightDecay=0.0001;Width=2", "98083c5d5f9b" },
        { "--optimizer adam --lr 0.001 --beta1 0.8 --beta2 0.99 --momentum 0 --lr-schedule constant --batch-size 64 --steps 500", "BatchSize=64;Beta1=0.8;Beta2=0.99;Lr=0.001;LrSchedule=constant;Momentum=0;Optimizer=adam;Steps=500", "793a363f18c9" },
        { "--schedule gmp --sparsity 0.9 --initial-sparsity 0.5 --update-every 50 --update-start 100 --update-end 1000", "InitialSparsity=0.5;Schedule=gmp;Sparsity=0.9;UpdateEnd=1000;UpdateEvery=50;UpdateStart=100", "520a142210ad" },
        { "--schedule set --sparsity 0.95", "Budget=erk;Criterion=random;Schedule=set;Sparsity=0.95", "f94d8daae733" },
        { "--schedule rigl --sparsity 0.9 --drop-fraction 0.5 --update-every 200", "Budget=erk;Criterion=random;DropFraction=0.5;Schedule=rigl;Sparsity=0.9;UpdateEvery=200", "6fa0b21d884a" },
        { "--curriculum fisher-true --pacing-b 0.1", "Curriculum=fisher-true;PacingB=0.1", "56e362dd49b8" },
        { "--curriculum fisher-empirical --order anti --pacing root --curriculum-reference warmup:1", "Curriculum=fisher-empirical;CurriculumReference=warmup:1;Order=anti;Pacing=root", "faab4b04350e" },
        { "--curriculum last-layer --balance-classes --pacing step --pacing-a 0.8", "BalanceClasses=True;Curriculum=last-layer;Pacing=step;PacingA=0.8", "31cb7f287700" },
        { "--curriculum el2n --curriculum-reference warmup:1 --score-runs 5", "Curriculum=el2n;CurriculumReference=warmup:1;ScoreRuns=5", "98a70e393692" },
        { "--curriculum loss --curriculum-reference self:2", "Curriculum=loss;CurriculumReference=self:2", "56f3fb4ee357" },
        { "--curriculum random --order random --pacing fixed-exp --pacing-sp 0.1 --pacing-inc 2 --pacing-step 50", "Curriculum=random;Order=random;Pacing=fixed-exp;PacingInc=2;PacingSp=0.1;PacingStep=50", "26a4d00276f8" },
        { "--label-noise 0.4 --limit-test 1000 --val 500 --seed 7 --threads 1 --device cpu --data-dir /tmp/x", "LabelNoise=0.4;LimitTest=1000;Seed=7;Val=500", "8d5d8d455f9a" },
        { "--sparsity 0.5 --criterion nm:2:4 --keep-first-dense --forbid-collapse --model vgg11", "Criterion=nm:2:4;ForbidCollapse=True;KeepFirstDense=True;Model=vgg11;Sparsity=0.5", "403c32f2aa97" }
    };

    [Theory]
    [MemberData(nameof(Pinned))]
    public void Given_a_config_from_before_the_split_Then_its_canonical_string_and_hash_are_unchanged(string args, string canonical, string hash)
    {
        var bound = new TrainCommand().Parse(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var config = TrainCommand.WithScheduleStart(bound.Value.Train, bound.Sources);
        Assert.Equal(canonical, ConfigHash.Canonical(config));
        Assert.Equal(hash, ConfigHash.Hash(config));
    }

    [Fact]
    public void Given_the_demo_study_Then_its_older_canonical_string_is_pinned() =>   // rechosen in issue 23 with the seed's arms; demo folders written then are recognised by it
        Assert.Equal("train[Epochs=30;Init=pytorch-default;LimitTrain=3000;Model=mlp];sparsities=0.9,0.99,0.995;seeds=3;criterion=magnitude;budget=global;" +
                     "methods=finetune,scratch,lottery,fisher-early,random-early;finetune=30@0.05;scratch_init=reinit;paths=29/recompute/5000/5000;regime=0.01;early[]",
            StudyKinds.Demo().LegacyCanonical());

    [Fact]
    public void Given_the_demo_study_Then_its_canonical_string_is_pinned() =>   // every declared option by property path (issue 24)
        Assert.Equal(DemoCanonical, StudyKinds.Demo().Canonical());

    private const string DemoCanonical =
        "v2;Methods=[finetune,scratch,lottery,fisher-early,random-early];PathTestExamples=5000;PathTrainExamples=5000;" +
        "Sparsities=[0.9,0.99,0.995];Train.Data.LimitTrain=3000;Train.Model.Init=pytorch-default;Train.Model.Name=mlp;Train.Optimization.Epochs=30";

    [Fact]
    public void Given_a_curriculum_study_Then_its_older_canonical_string_is_unchanged()
    {
        var bound = new StudyCurriculumCommand().Parse("--epochs", "2", "--limit-train", "10000", "--sparsities", "0.9,0.99", "--seeds", "2");
        Assert.Equal("train[Epochs=2;LimitTrain=10000];sparsities=0.9,0.99;seeds=2;criterion=magnitude;budget=global;methods=finetune,scratch,curriculum,anti-curriculum,random-pacing,el2n-curriculum;finetune=2@0.05;scratch_init=reinit;paths=0/recompute/10000/10000;regime=0.01;curriculum[]", bound.Value.Study.LegacyCanonical());
    }

    [Fact]
    public void Given_a_schedule_study_Then_its_older_canonical_string_is_unchanged()
    {
        var bound = new StudyGapCommand().Parse("--model", "lenet5", "--epochs", "2", "--methods", "finetune,scratch,imp,gmp,set,rigl",
            "--sparsities", "0.9,0.98", "--prune-rate", "0.5", "--rewind", "1ep");
        Assert.Equal("train[Epochs=2];sparsities=0.9,0.98;seeds=3;criterion=magnitude;budget=global;methods=finetune,scratch,imp,gmp,set,rigl;finetune=2@0.05;scratch_init=reinit;paths=29/recompute/10000/10000;regime=0.01;imp=0.5@1ep", bound.Value.Study.LegacyCanonical());
    }

    [Fact]
    public void Given_the_default_config_Then_the_canonical_string_is_empty() =>
        Assert.Equal("", ConfigHash.Canonical(new TrainConfig()));

    [Fact]
    public void Given_changed_fields_Then_they_appear_sorted_by_their_flat_names_with_invariant_numbers()
    {
        var c = new TrainConfig { Model = new() { Name = "mlp" }, Optimization = new() { Lr = 0.1, LrSchedule = "step", Milestones = [Duration.Epochs(5), Duration.Epochs(8)] } };
        Assert.Equal("Lr=0.1;LrSchedule=step;Milestones=[5,8];Model=mlp", ConfigHash.Canonical(c));
    }

    [Fact]
    public void Given_durations_in_other_units_Then_they_hash_apart_from_the_bare_numbers()
    {
        var epochs = new TrainConfig { Optimization = new() { Warmup = Duration.Epochs(0.5) } };
        var fraction = new TrainConfig { Optimization = new() { Warmup = Duration.Fraction(0.5) } };
        var steps = new TrainConfig { Optimization = new() { Warmup = Duration.Steps(5) } };
        Assert.Equal("WarmupEpochs=0.5", ConfigHash.Canonical(epochs));
        Assert.Equal("WarmupEpochs=0.5frac", ConfigHash.Canonical(fraction));
        Assert.Equal("WarmupEpochs=5it", ConfigHash.Canonical(steps));
    }

    [Fact]
    public void Given_an_execution_setting_When_it_changes_Then_the_hash_does_not()
    {
        var a = new TrainConfig { Seed = 3 };
        var b = a with
        {
            Runtime = new() { Threads = 7, Device = "auto" }, Data = a.Data with { DataDir = "/x" },
            Probes = new() { FisherEvery = "epoch", FisherSamples = 17 }, Curriculum = a.Curriculum with { ScoreCache = "/cache" },
        };
        Assert.Equal(ConfigHash.Hash(a), ConfigHash.Hash(b));
        Assert.NotEqual(ConfigHash.Hash(a), ConfigHash.Hash(a with { Seed = 4 }));
    }

    [Fact]
    public void Given_every_hashed_field_Then_its_hash_name_is_unique()
    {
        var names = ConfigSchema.Of<TrainConfig>().Fields.Where(f => f.Hashed).GroupBy(f => f.HashName).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(names);
    }

    [Fact]
    public void Given_a_comma_decimal_culture_Then_the_hash_is_unchanged()
    {
        var c = new TrainConfig { Optimization = new() { Lr = 0.125 } };
        string expected = ConfigHash.Hash(c);
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE", useUserOverride: false);
            Assert.Equal(expected, ConfigHash.Hash(c));
        }
        catch (CultureNotFoundException) { }   // invariant-globalization builds have no de-DE
        finally { CultureInfo.CurrentCulture = saved; }
    }
}
