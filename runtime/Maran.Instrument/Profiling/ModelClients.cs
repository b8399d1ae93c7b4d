using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>
/// What a model client says of itself: its provider and default model, whether a response cache sits in its pipeline, and
/// whether its pipeline reports its calls to OpenTelemetry itself.
/// </summary>
/// <param name="Provider">The provider (<c>gen_ai.provider.name</c>), from the client's metadata, or null.</param>
/// <param name="HasResponseCache">Whether the client's pipeline holds a response cache (Microsoft.Extensions.AI's caching middleware).</param>
/// <param name="DefaultModel">The model the client asks for when a call names none (<c>gen_ai.request.model</c>), from its metadata, or null.</param>
/// <param name="ReportedByPipeline">
/// Whether the client's pipeline holds Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c> (<c>UseOpenTelemetry()</c>), or an
/// agent's pipeline the Agent Framework's <c>OpenTelemetryAgent</c>, which reports each call as a GenAI span and on the GenAI
/// histograms: then the toolkit records the call (counts, tokens, cost) but starts no span of its own and adds nothing to
/// the GenAI histograms, so the call is not reported twice.
/// </param>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public readonly record struct ModelClient(string? Provider, bool HasResponseCache, string? DefaultModel = null, bool ReportedByPipeline = false);

/// <summary>
/// The recorders of model calls made through a client whose provider is known only at run time (a Microsoft.Extensions.AI
/// <c>IChatClient</c> or embedding generator): generated code asks once per call; the client is described once, on its
/// first call, and remembered for as long as it lives.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ModelClients
{
    private static readonly ConditionalWeakTable<object, Entry> s_clients = new();

    // The client of the call being started on this thread: Resolve sets it, OperationScope.StartCall takes it right after.
    [ThreadStatic]
    private static Entry? t_starting;

    /// <summary>
    /// The recorder of <paramref name="site"/>'s calls made through <paramref name="client"/>: under the client's provider
    /// when it names one, else <paramref name="site"/> itself. Never throws: a client that fails to describe itself is
    /// recorded under <paramref name="site"/>.
    /// </summary>
    /// <param name="client">The client the call is made on; null leaves the call to <paramref name="site"/>.</param>
    /// <param name="site">The recorder the generator registered for the API.</param>
    /// <param name="describe">Reads the client's provider and response cache (generated, by the SDK's own metadata types).</param>
    /// <param name="hasResponseCache">Whether responses may come from a cache in the client's pipeline.</param>
    public static OperationRecorder Resolve(object? client, OperationRecorder site, Func<object, ModelClient> describe, out bool hasResponseCache)
    {
        hasResponseCache = false;
        t_starting = null;
        if (client is null)
        {
            return site;
        }

        try
        {
            // Looked up first, so that a client already described costs no closure.
            if (!s_clients.TryGetValue(client, out Entry? entry))
            {
                entry = s_clients.GetValue(client, c => new Entry(Describe(c, describe)));
            }

            t_starting = entry;
            hasResponseCache = entry.Client.HasResponseCache;
            if (entry.Client.Provider is not { Length: > 0 } provider)
            {
                return site;
            }

            return entry.Recorders.GetOrAdd(site, static (s, p) =>
                OperationRegistry.GetOrAddCall(OperationKind.ModelCall, s.Name, p, s.Method, p, s.GenAIOperation ?? GenAIOperationInfo.DefaultOperation), provider);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("model client", ex);
            return site;
        }
    }

    /// <summary>What the client of the call starting on this thread said of itself, if <see cref="Resolve"/> just described one; cleared as it is read.</summary>
    internal static ModelClient TakeStarting()
    {
        Entry? entry = t_starting;
        if (entry is null)
        {
            return default;
        }

        t_starting = null;
        return entry.Client;
    }

    private static ModelClient Describe(object client, Func<object, ModelClient> describe)
    {
        try
        {
            return describe(client);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("model client", ex);
            return default;
        }
    }

    private sealed class Entry(ModelClient client)
    {
        public ModelClient Client { get; } = client;

        public ConcurrentDictionary<OperationRecorder, OperationRecorder> Recorders { get; } = new();
    }
}
