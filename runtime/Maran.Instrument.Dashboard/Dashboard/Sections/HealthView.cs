namespace Maran.Instrument.Dashboard;

/// <summary>
/// The health section: the latest sample (score, status, readings against their thresholds, violations, GPUs), the
/// kept samples as series (the score and every reading, at most <see cref="HealthSection.MaxPoints"/> points), and
/// the threshold violations of the kept history as episodes, and the readings an anomaly rule watches with their
/// expected bands. <see cref="Message"/> says why there is no sample.
/// </summary>
internal sealed record HealthView(
    bool HasSample,
    string? Message,
    bool Sampling,
    double IntervalSeconds,
    int Kept,
    int Capacity,
    HealthNowView? Now,
    IReadOnlyList<HealthReadingView> Readings,
    string? GpuStatus,
    IReadOnlyList<GpuView> Gpus,
    HealthSeriesView Series,
    IReadOnlyList<ViolationEpisodeView> Episodes,
    IReadOnlyList<AnomalySeriesView> Anomalies);

/// <summary>The latest sample's score and status, its violations, and what could not be read or checked and why.</summary>
internal sealed record HealthNowView(
    DateTimeOffset Time,
    double Score,
    string Status,
    IReadOnlyList<ViolationView> Violations,
    IReadOnlyList<string> Unchecked,
    IReadOnlyList<string> Unavailable);

/// <summary>One reading of the latest sample, with its threshold when it has one.</summary>
internal sealed record HealthReadingView(string Key, string? Subject, double? Value, string Unit, double? Threshold, bool Violated, bool Custom);

/// <summary>A reading past its threshold: how far (0..1) and the points it takes off the score.</summary>
internal sealed record ViolationView(string Key, string? Subject, double? Value, double Threshold, string Unit, double Severity, double Penalty);

/// <summary>An NVIDIA GPU as NVML names it, with its readings of the latest sample.</summary>
internal sealed record GpuView(int Index, string Subject, string? Name, string? Uuid, IReadOnlyList<string> Problems, IReadOnlyList<HealthReadingView> Readings);

/// <summary>The kept samples as aligned columns: times (Unix milliseconds), the score, and every reading grouped by key.</summary>
internal sealed record HealthSeriesView(IReadOnlyList<long> Times, IReadOnlyList<double> Score, IReadOnlyList<HealthSeriesGroup> Groups, int Omitted);

/// <summary>One reading's key over time, one column per subject (disks, GPUs), with its current threshold.</summary>
internal sealed record HealthSeriesGroup(string Key, string Unit, double? Threshold, bool Custom, IReadOnlyList<HealthSubjectSeries> Series);

/// <summary>One subject's values of a reading over time; null where a sample lacks it.</summary>
internal sealed record HealthSubjectSeries(string? Subject, IReadOnlyList<double?> Values);

/// <summary>
/// A stretch of consecutive samples in which one reading was past its threshold: from the first to the last such
/// sample, its worst value, and whether it still is in the latest sample.
/// </summary>
internal sealed record ViolationEpisodeView(string Key, string? Subject, DateTimeOffset From, DateTimeOffset To, int Samples, double? Peak, double Threshold, string Unit, bool Ongoing);
