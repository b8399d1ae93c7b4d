using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Maran.Instrument;

namespace Scenarios.Streams;

public class Model
{
    [MonitorOperation("stream", "streams")]
    public async IAsyncEnumerable<string> StreamAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return "token" + i;
        }
    }

    [MonitorOperation("stream_fail", "streams")]
    public async IAsyncEnumerable<string> BrokenAsync()
    {
        yield return "first";
        await Task.Yield();
        throw new InvalidOperationException("stream broke");
    }
}

public static class Program
{
    public static async Task<string> RunAsync()
    {
        var model = new Model();
        int full = 0;
        await foreach (string token in model.StreamAsync(5))
        {
            full++;
        }

        int partial = 0;
        await foreach (string token in model.StreamAsync(10))
        {
            if (++partial == 3)
            {
                break;
            }
        }

        string failure = "none";
        try
        {
            await foreach (string token in model.BrokenAsync())
            {
            }
        }
        catch (InvalidOperationException ex)
        {
            failure = ex.Message;
        }

        return $"{full} {partial} {failure}";
    }
}
