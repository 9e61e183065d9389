// libtorch's thread count and global seed are process-wide: tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
