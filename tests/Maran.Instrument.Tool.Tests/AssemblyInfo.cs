// The audit trail listens to every monitored call and failure in the process, and Start() sets process-wide
// switches: the tests of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
