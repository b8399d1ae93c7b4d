// Every test here starts a monitoring system, and a monitored call's failure, cost or span reaches every system
// that runs in the process (they share the operation registry, as one program's systems would). Tests that count
// what their own system saw therefore run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
