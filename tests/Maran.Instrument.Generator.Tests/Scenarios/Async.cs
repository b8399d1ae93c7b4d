using System;
using System.Threading;
using System.Threading.Tasks;
using Maran.Instrument;

namespace Scenarios.Async;

public class Service
{
    [MonitorOperation("task_done", "async")]
    public Task DoneAsync() => Task.CompletedTask;

    [MonitorOperation("task_yield", "async")]
    public async Task YieldAsync()
    {
        await Task.Yield();
    }

    [MonitorOperation("task_value", "async")]
    public async Task<int> ValueAsync(int delayMs)
    {
        await Task.Delay(delayMs);
        return delayMs * 2;
    }

    [MonitorOperation("valuetask_done", "async")]
    public ValueTask<int> CachedAsync(int value) => new(value);

    [MonitorOperation("valuetask_yield", "async")]
    public async ValueTask<int> ComputeAsync(int value)
    {
        await Task.Yield();
        return value + 1;
    }

    [MonitorOperation("valuetask_plain", "async")]
    public async ValueTask PlainAsync()
    {
        await Task.Yield();
    }

    [MonitorOperation("task_fail", "async")]
    public async Task<int> FailAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("model unavailable");
    }

    [MonitorOperation("task_cancel", "async")]
    public async Task CancelAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    [MonitorOperation("valuetask_fail", "async")]
    public async ValueTask<int> FailValueAsync()
    {
        await Task.Yield();
        throw new TimeoutException("slow model");
    }
}

public static class Program
{
    public static async Task<string> RunAsync()
    {
        var service = new Service();
        await service.DoneAsync();
        await service.YieldAsync();
        int value = await service.ValueAsync(20);
        int cached = await service.CachedAsync(5);
        int computed = await service.ComputeAsync(5);
        await service.PlainAsync();

        string failure;
        try
        {
            await service.FailAsync();
            failure = "no exception";
        }
        catch (InvalidOperationException ex)
        {
            failure = ex.Message;
        }

        string cancelled;
        using (var source = new CancellationTokenSource(TimeSpan.FromMilliseconds(10)))
        {
            try
            {
                await service.CancelAsync(source.Token);
                cancelled = "not cancelled";
            }
            catch (OperationCanceledException)
            {
                cancelled = "cancelled";
            }
        }

        string valueFailure;
        try
        {
            await service.FailValueAsync();
            valueFailure = "no exception";
        }
        catch (TimeoutException ex)
        {
            valueFailure = ex.Message;
        }

        return $"{value} {cached} {computed} {failure} {cancelled} {valueFailure}";
    }
}
