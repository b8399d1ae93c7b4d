using System.Runtime.CompilerServices;
using Maran.Instrument.Features;

namespace Maran.Instrument.Testing;

// What the generator emits in an application referencing Maran.Instrument.All: every feature registered before
// any code runs, so each system the tests build has storage, Prometheus, Serilog, e-mail and tokenizers.
internal static class AllFeatures
{
    [ModuleInitializer]
    internal static void Register()
    {
        MaranFeatures.Register(new SqliteFeature());
        MaranFeatures.Register(new PrometheusFeature());
        MaranFeatures.Register(new SerilogFeature());
        MaranFeatures.Register(new EmailFeature());
        MaranFeatures.Register(new TokenizersFeature());
    }
}
