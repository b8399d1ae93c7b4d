namespace Maran.Instrument.Alerts;

/// <summary>A series' trend, learnt one point at a time in constant memory: what a forecast rule extrapolates.</summary>
internal interface ITrend
{
    /// <summary>Adds a point; a point not after the last one, or not finite, is ignored.</summary>
    void Add(DateTimeOffset at, double value);

    /// <summary>The trend now, or null while it has too few points to forecast from.</summary>
    ITrendForecast? Forecast();
}

/// <summary>A trend as it stands: the level now, the slope, whether the slope is real, and a forecast's uncertainty.</summary>
internal interface ITrendForecast
{
    /// <summary>The value the trend gives for the newest point's time.</summary>
    double Level { get; }

    /// <summary>The change per second.</summary>
    double Slope { get; }

    /// <summary>Whether the slope differs from zero at the 99% level.</summary>
    bool HasTrend { get; }

    /// <summary>Seconds from the first point learnt to the newest: how far back the history goes.</summary>
    double Span { get; }

    /// <summary>The forecast value <paramref name="seconds"/> after the newest point.</summary>
    double ValueAt(double seconds);

    /// <summary>Half the width of the 95% prediction interval of one value <paramref name="seconds"/> after the newest point.</summary>
    double PredictionHalfWidth(double seconds);
}
