// Wires the commands, applies --config YAML files, and turns every failure
// into one `error:` line with exit code 2 (bad options) or 1 (anything else).
using SparseLab.Cli.Commands;
using SparseLab.Foundations;
using Spectre.Console.Cli;

namespace SparseLab.Cli;

public static class CliApp
{
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var err = stderr ?? Console.Error;
        bool verbose = args.Contains("--verbose");
        args = [.. args.Where(a => a != "--verbose")];
        var previousOut = Console.Out;
        if (stdout is not null) Console.SetOut(stdout);
        try
        {
            args = YamlConfig.Apply(args);
            var app = new CommandApp();
            app.Configure(Configure);
            return app.Run(args);
        }
        catch (SparseLabException e)
        {
            Report(err, e, e.Message, verbose);
            return e.ExitCode;
        }
        catch (CommandAppException e)
        {
            Report(err, e, OneLine(e.Message), verbose);
            return 2;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException && e.ToString().Contains("LibTorchSharp"))
        {
            Report(err, e, "libtorch could not be loaded; rebuild with ./sparselab (it patches TorchSharp for this system) and run with --verbose for details", verbose);
            return 1;
        }
        catch (Exception e)
        {
            Report(err, e, $"unexpected failure: {OneLine(e.Message)} (run with --verbose for the stack trace)", verbose);
            return 1;
        }
        finally
        {
            if (stdout is not null) Console.SetOut(previousOut);
        }
    }

    private static void Configure(IConfigurator config)
    {
        config.SetApplicationName("sparselab");
        config.PropagateExceptions();
        config.Settings.StrictParsing = true;
        config.AddCommand<DemoCommand>("demo")
            .WithDescription("Run the main job: train LeNet-5 on Fashion-MNIST for a few epochs and print the result.");
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train one network; writes a run folder (config.json, metrics.jsonl, summary.json, checkpoints/, tb/).")
            .WithExample("train", "--dataset", "fashion-mnist", "--model", "lenet5", "--epochs", "15", "--out", "runs/lenet5");
        config.AddCommand<ImpCommand>("imp")
            .WithDescription("Iterative magnitude pruning with rewinding: level 0 dense, each level removes --prune-rate of the survivors and rewinds them; one run folder per level.")
            .WithExample("imp", "--dataset", "fashion-mnist", "--model", "lenet5", "--epochs", "2", "--targets", "0.9", "--rewind", "0", "--out", "runs/imp");
        config.AddCommand<PruneCommand>("prune")
            .WithDescription("Make a mask from a saved network: --run DIR --sparsity S --criterion NAME --budget B --out MASK.safetensors.");
        config.AddCommand<ExportCommand>("export")
            .WithDescription("Write a run's weights and mask as safetensors (weights by state-dict name, masks as masks.<name>), or --format sparse: the compressed model for `infer`.");
        config.AddCommand<InferCommand>("infer")
            .WithDescription("Run a sparse model file on a test set with the C# sparse engine (no libtorch); prints accuracy and throughput.")
            .WithExample("infer", "--model-file", "lenet5.sparse.safetensors", "--dataset", "fashion-mnist");
        config.AddCommand<InterpolateCommand>("interpolate")
            .WithDescription("Loss and accuracy along the straight line θ(α) = (1 − α)·θ_A + α·θ_B between two checkpoints; writes DIR/path.json.")
            .WithExample("interpolate", "--from", "runs/scratch:init", "--to", "runs/pruned", "--points", "29", "--out", "paths/init-to-pruned");
        config.AddCommand<FisherCommand>("fisher")
            .WithDescription("Fisher information of a saved network: true and empirical traces, per layer, per-example scores (--scores CSV).");
        config.AddCommand<CurvatureCommand>("curvature")
            .WithDescription("Top Hessian eigenvalue, Hessian trace and input-Jacobian norm of a saved run's checkpoint (METHODS §6).");
        config.AddCommand<InspectCommand>("inspect")
            .WithDescription("Show a model's layers and parameter counts (--model), or a run's measured weights (--run).");
        config.AddBranch("study", study =>
        {
            study.SetDescription("Multi-run experiments with statistics and a report.");
            study.AddCommand<StudyGapCommand>("gap")
                .WithDescription("Sparse scratch vs sparse finetuning with the same mask: sparsities x seeds, linear paths, regimes, report.html.")
                .WithExample("study", "gap", "--dataset", "fashion-mnist", "--model", "lenet5", "--sparsities", "0.9,0.99", "--seeds", "2", "--epochs", "2", "--out", "runs/gap");
            study.AddCommand<StudyCurriculumCommand>("curriculum")
                .WithDescription("The seed's fix under fair controls: sparse scratch with a low-Fisher-first curriculum, an anti-curriculum, a random order with the same pacing and an EL2N curriculum, against plain scratch and sparse finetuning (same mask); gap closed with intervals, cost, Fisher traces, report.")
                .WithExample("study", "curriculum", "--dataset", "fashion-mnist", "--model", "lenet5", "--sparsities", "0.98", "--seeds", "2", "--epochs", "2", "--limit-train", "10000", "--out", "runs/curriculum");
        });
        config.AddBranch("bench", bench =>
        {
            bench.SetDescription("Benchmarks (throughput measured on random data).");
            bench.AddCommand<BenchTrainCommand>("train")
                .WithDescription("Training throughput (images/s) of full SGD steps; one JSON line per model.");
            bench.AddCommand<BenchFisherCommand>("fisher")
                .WithDescription("Seconds for the fast Fisher trace, the naive loop and a training pass over the same examples; one JSON line.");
            bench.AddCommand<BenchSpmmCommand>("spmm")
                .WithDescription("Sparse weight x dense activations: our kernel vs libtorch dense and sparse mm on the same data; one JSON line per sparsity.")
                .WithExample("bench", "spmm", "--rows", "4096", "--cols", "4096", "--batch", "64", "--sparsities", "0.7,0.9,0.95");
            bench.AddCommand<BenchSpmmReportCommand>("spmm-report")
                .WithDescription("Markdown table (stdout) and speedup-vs-sparsity plot (--plot PNG) of saved bench spmm JSON lines.");
            bench.AddCommand<BenchInferCommand>("infer")
                .WithDescription("Forward time of a sparse model file: our engine vs libtorch's dense forward of the same weights; one JSON line per batch size.");
        });
    }

    private static void Report(TextWriter err, Exception e, string message, bool verbose)
    {
        err.WriteLine($"error: {message}");
        if (verbose) err.WriteLine(e.ToString());
    }

    private static string OneLine(string s) => string.Join(" ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
}
