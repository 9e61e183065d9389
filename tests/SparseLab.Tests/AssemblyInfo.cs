// libtorch's thread count and global seed are process-wide: tests run one at a time,
// each from the same global seed.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: SparseLab.Tests.SeededTorch]
