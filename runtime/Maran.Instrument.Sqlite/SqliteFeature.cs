using Maran.Instrument;
using Maran.Instrument.Features;

[assembly: MaranFeature(typeof(SqliteFeature))]

namespace Maran.Instrument;

/// <summary>
/// Keeps errors, costs, logs and alert history in a SQLite database, so analytics, budgets and searches survive a
/// restart. Registered by referencing the package.
/// </summary>
public sealed class SqliteFeature : MaranFeature
{
    /// <inheritdoc />
    public override string Name => "sqlite";

    internal override void Contribute(FeatureContributions contributions) =>
        contributions.UseStorage(static (options, time) => new SqliteStorage(options, time));
}
