using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Writes the host's structured monitoring log with Serilog.</summary>
public static class MaranSerilogBuilderExtensions
{
    /// <summary>
    /// Builds the host's system with the structured log (<see cref="SerilogFeature"/>): compact JSON lines to standard
    /// error (<c>logging.console</c>) and to <c>monitoring.logs_dir</c> (<c>./logs/</c>), and the searchable log store,
    /// while the host runs. Route the app's own <see cref="Logging.ILogger"/> logs there with <c>builder.Logging.AddMaranLogging()</c>.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddSerilog(this IMaranBuilder builder) => builder.AddSerilog(configure: null);

    /// <summary>
    /// Adds the structured log as <see cref="AddSerilog(IMaranBuilder)"/> does, then lets <paramref name="configure"/>
    /// change the <c>logging:</c> settings after the configuration is read.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="configure">Changes the <c>logging:</c> settings; null changes nothing.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddSerilog(this IMaranBuilder builder, Action<LoggingSettings>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFeature(new SerilogFeature());
        return configure is null ? builder : builder.ConfigureOptions(options => configure(options.Logging));
    }
}
