using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace ChatLoop.Load;

/// <summary>The panels of <see cref="RunPlot"/>, one ScottPlot <see cref="Plot"/> each.</summary>
internal static class PlotPanels
{
    private const string FontName = "DejaVu Sans";
    private const double SpectrumNines = 5;

    private static readonly Color Blue = Color.FromHex("#1f77b4");
    private static readonly Color Orange = Color.FromHex("#ff7f0e");
    private static readonly Color Red = Color.FromHex("#d62728");
    private static readonly Color Green = Color.FromHex("#2ca02c");

    public static Plot Title(PlotData data)
    {
        var plot = New();
        plot.HideAxesAndGrid();
        plot.Axes.Frameless();
        plot.Title($"{data.Settings}\n{data.Verdict}", 15);
        plot.Axes.Title.Label.ForeColor = data.Passed ? Colors.Black : Red;
        return plot;
    }

    public static Plot Deliveries(PlotData data)
    {
        var plot = Timeline(data, "deliveries per second\n(to members other than the sender)");
        Line(plot, data.Seconds, data.DeliveriesPerS, Blue, "deliveries/s");
        plot.Axes.SetLimitsY(0, Math.Max(1, data.DeliveriesPerS.DefaultIfEmpty(0).Max()) * 1.1);
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => v.ToString("#,0.##", CultureInfo.InvariantCulture) };
        return plot;
    }

    public static Plot Latency(PlotData data)
    {
        var plot = Timeline(data, "latency (ms, log scale)");
        LogLine(plot, data.Seconds, data.MaxMs, Red, "max");
        LogLine(plot, data.Seconds, data.P99Ms, Orange, "p99");
        LogLine(plot, data.Seconds, data.P50Ms, Blue, "p50");
        var all = data.MaxMs.Concat(data.P50Ms).Where(double.IsFinite).ToArray();
        double low = all.Length == 0 ? -1 : Math.Floor(Math.Log10(all.Min()));
        double high = all.Length == 0 ? 1 : Math.Ceiling(Math.Log10(all.Max()));
        plot.Axes.SetLimitsY(low, Math.Max(high, low + 1));
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = v => Math.Pow(10, v).ToString("0.###", CultureInfo.InvariantCulture),
        };
        return plot;
    }

    public static Plot Joined(PlotData data)
    {
        var plot = Timeline(data, "clients joined");
        Line(plot, data.Seconds, data.Joined, Green, "joined");
        plot.Axes.SetLimitsY(0, Math.Max(1, data.Joined.DefaultIfEmpty(0).Max()) * 1.1);
        plot.XLabel("time since the start of the run (s)", 13);
        return plot;
    }

    /// <summary>Latency by percentile, on HdrHistogram's axis: x = log10(1 / (1 - p)), labelled in percent.</summary>
    public static Plot Spectrum(PlotData data)
    {
        var plot = New();
        plot.Title("latency by percentile, whole run", 14);
        plot.YLabel("latency (ms)", 13);
        plot.XLabel("percentile", 13);
        var x = data.SpectrumPercentiles.Select(p => Math.Min(SpectrumNines, -Math.Log10(Math.Max(1 - (p / 100), 1e-12)))).ToArray();
        if (x.Length > 0)
        {
            var line = plot.Add.ScatterLine(x, data.SpectrumMs, Blue);
            line.LineWidth = 2;
            line.LegendText = "send to delivery";
        }

        var ticks = new NumericManual();
        string[] labels = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"];
        for (int i = 0; i < labels.Length; i++)
        {
            ticks.AddMajor(i, labels[i]);
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(0, SpectrumNines);
        plot.Axes.SetLimitsY(0, Math.Max(1, data.SpectrumMs.DefaultIfEmpty(0).Max()) * 1.05);
        plot.Layout.Fixed(new PixelPadding(80, 45, 55, 40));
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>A panel of the time column: fixed margins so the three share one time axis on the page, the legend beside the data.</summary>
    private static Plot Timeline(PlotData data, string yLabel)
    {
        var plot = New();
        plot.YLabel(yLabel, 13);
        plot.Axes.SetLimitsX(0, Math.Max(1, data.Seconds.DefaultIfEmpty(0).Max()) * 1.02);
        plot.Layout.Fixed(new PixelPadding(95, 150, 40, 12));
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static void Line(Plot plot, double[] x, double[] y, Color color, string legend)
    {
        var line = plot.Add.Scatter(x, y, color);
        line.LineWidth = 2;
        line.MarkerSize = 4;
        line.LegendText = legend;
    }

    /// <summary>A series on a log axis: ScottPlot plots log10 of the values; seconds with no value are left out.</summary>
    private static void LogLine(Plot plot, double[] x, double[] ms, Color color, string legend)
    {
        var keep = Enumerable.Range(0, ms.Length).Where(i => double.IsFinite(ms[i]) && ms[i] > 0).ToArray();
        Line(plot, [.. keep.Select(i => x[i])], [.. keep.Select(i => Math.Log10(ms[i]))], color, legend);
    }

    private static Plot New()
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        return plot;
    }
}
