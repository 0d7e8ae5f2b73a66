// Each test injects a fault with real processes and measures timings (handover seconds, retries): one at a time, so
// one test's servers never starve another's on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
