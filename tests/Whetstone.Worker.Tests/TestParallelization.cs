// Every test here trains or starts the worker as a child process with two torch threads; run side by side on a small
// machine their OpenMP threads oversubscribe the cores and each run gets many times slower than the runs in sequence.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
