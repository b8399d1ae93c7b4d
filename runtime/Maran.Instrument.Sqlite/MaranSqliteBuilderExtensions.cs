using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the host's errors, costs, logs and alert history in SQLite.</summary>
public static class MaranSqliteBuilderExtensions
{
    /// <summary>
    /// Builds the host's system with the SQLite storage (<see cref="SqliteFeature"/>): errors, costs, logs and alert
    /// history go to <c>storage.path</c> (default <c>maran.db</c> in <c>monitoring.data_dir</c>, <c>./maran-data/</c>),
    /// written in the background and flushed when the host stops.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddSqlite(this IMaranBuilder builder) => builder.AddSqlite(configure: null);

    /// <summary>
    /// Adds the SQLite storage as <see cref="AddSqlite(IMaranBuilder)"/> does, then lets <paramref name="configure"/>
    /// change the <c>storage:</c> settings after the configuration is read.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="configure">Changes the <c>storage:</c> settings; null changes nothing.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddSqlite(this IMaranBuilder builder, Action<StorageSettings>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFeature(new SqliteFeature());
        return configure is null ? builder : builder.ConfigureOptions(options => configure(options.Storage));
    }
}
