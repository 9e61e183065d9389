// Entry point of the kernel micro-benchmarks: BenchmarkDotNet picks the
// benchmarks named by --filter from this assembly. Run from the repository root:
//   dotnet run -c Release --project bench/SparseLab.Benchmarks -- --filter '*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(SparseLab.Benchmarks.SpmmKernels).Assembly).Run(args);
