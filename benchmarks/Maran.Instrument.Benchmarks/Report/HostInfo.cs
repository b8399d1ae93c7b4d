namespace Maran.Instrument.Benchmarks.Report;

/// <summary>The machine and runtime a run was measured on, as BenchmarkDotNet recorded them.</summary>
/// <param name="Processor">The processor's name.</param>
/// <param name="PhysicalCores">Physical cores.</param>
/// <param name="LogicalCores">Logical cores.</param>
/// <param name="Os">The operating system.</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="BenchmarkDotNet">BenchmarkDotNet's version.</param>
public sealed record HostInfo(string Processor, int PhysicalCores, int LogicalCores, string Os, string Runtime, string BenchmarkDotNet)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Processor}, {PhysicalCores} physical / {LogicalCores} logical cores; {Os}; {Runtime}; BenchmarkDotNet {BenchmarkDotNet}";
}
