// The tests read process-wide operation counts: they must not run beside each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
