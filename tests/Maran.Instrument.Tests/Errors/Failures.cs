using System.Net;
using System.Runtime.CompilerServices;

namespace Maran.Instrument.Tests.Errors;

/// <summary>Code that fails the way application code does, from fixed places, so tests can compare stacks.</summary>
internal static class Failures
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception UserNotFound(int id)
    {
        try
        {
            UserStore.Find(id);
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("unreachable");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception UserNotFoundElsewhere(int id)
    {
        try
        {
            UserStore.FindArchived(id);
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("unreachable");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Caught(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("the action did not fail");
    }

    public static HttpRequestException RateLimited() =>
        new("Response status code does not indicate success: 429 (Too Many Requests).", null, HttpStatusCode.TooManyRequests);

    public static class UserStore
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Find(int id)
        {
            if (id % 2 == 0)
            {
                throw new KeyNotFoundException($"User {id} not found at https://api.example.com/users/{id} (request {Guid.NewGuid()})");
            }

            throw new KeyNotFoundException($"User {id} not found at https://api.example.com/users/{id} (request {Guid.NewGuid()})");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void FindArchived(int id) =>
            throw new KeyNotFoundException($"User {id} not found at https://api.example.com/users/{id} (request {Guid.NewGuid()})");
    }
}
