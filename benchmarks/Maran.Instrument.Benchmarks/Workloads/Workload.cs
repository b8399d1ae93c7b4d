namespace Maran.Instrument.Benchmarks.Workloads;

/// <summary>
/// The names of the workloads: each is the monitored operation's name, the prometheus-net label and the
/// OpenTelemetry <c>operation</c> tag of that workload, so every tool records the same thing.
/// </summary>
public static class Workload
{
    /// <summary>The component every benchmark operation belongs to.</summary>
    public const string Component = "benchmarks";

    /// <summary>A method that does nothing: what remains is the wrapper's own cost.</summary>
    public const string Empty = "empty";

    /// <summary>About 250 ns of arithmetic.</summary>
    public const string Cpu250ns = "cpu_250ns";

    /// <summary>About 2 µs of arithmetic.</summary>
    public const string Cpu2us = "cpu_2us";

    /// <summary>About 100 µs of arithmetic.</summary>
    public const string Cpu100us = "cpu_100us";

    /// <summary>An async <see cref="Task{TResult}"/> method that completes without awaiting.</summary>
    public const string TaskCompleted = "task_completed";

    /// <summary>An async <see cref="Task{TResult}"/> method that yields to the thread pool once.</summary>
    public const string TaskYielding = "task_yielding";

    /// <summary>An async <see cref="ValueTask{TResult}"/> method that completes without awaiting.</summary>
    public const string ValueTaskCompleted = "valuetask_completed";

    /// <summary>An async stream of 100 items.</summary>
    public const string Stream = "stream_100";

    /// <summary>A dependent floating-point loop of about 2 µs, written without attributes.</summary>
    public const string UserFloat = "user_float_loop";

    /// <summary>An integer loop of about 2 µs, written without attributes.</summary>
    public const string UserInteger = "user_integer_loop";

    /// <summary>A memory-bound pass over an array larger than L1.</summary>
    public const string UserMemory = "user_memory_pass";

    /// <summary>A method that allocates.</summary>
    public const string UserAllocating = "user_allocates";

    /// <summary>A monitored method whose body only calls another.</summary>
    public const string UserCallsAnother = "user_calls_another";

    /// <summary>A method that throws; the caller catches.</summary>
    public const string Failure = "failure";

    /// <summary>An empty method called from two threads at once.</summary>
    public const string Contended = "contended";

    /// <summary>Items in the <see cref="Stream"/> workload.</summary>
    public const int StreamItems = 100;
}
