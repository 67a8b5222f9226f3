using ScottPlot;
using SkiaSharp;

namespace ChatLoop.Load;

/// <summary>
/// --plot: draws <see cref="PlotData"/> as one PNG. Left, over time: deliveries per second,
/// latency p50/p99/max (log scale) and clients joined; right, the latency percentile spectrum
/// of the whole run. The title carries the run's settings and PASS or FAIL. ScottPlot draws each
/// panel; they are laid out on one Skia surface.
/// </summary>
internal static class RunPlot
{
    public const int Width = 1600;
    public const int Height = 900;
    private const int TitleHeight = 80;
    private const int LeftWidth = 900;

    public static void Save(string path, PlotData data)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height)) ?? throw new InvalidOperationException("cannot create a drawing surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        int rowHeight = (Height - TitleHeight) / 3;
        using var title = PlotPanels.Title(data);
        using var deliveries = PlotPanels.Deliveries(data);
        using var latency = PlotPanels.Latency(data);
        using var joined = PlotPanels.Joined(data);
        using var spectrum = PlotPanels.Spectrum(data);
        Draw(canvas, title, 0, 0, Width, TitleHeight);
        Draw(canvas, deliveries, 0, TitleHeight, LeftWidth, TitleHeight + rowHeight);
        Draw(canvas, latency, 0, TitleHeight + rowHeight, LeftWidth, TitleHeight + (2 * rowHeight));
        Draw(canvas, joined, 0, TitleHeight + (2 * rowHeight), LeftWidth, Height);
        Draw(canvas, spectrum, LeftWidth, TitleHeight, Width, Height);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>Renders one panel into its rectangle only (a plot otherwise paints its background over the whole canvas).</summary>
    private static void Draw(SKCanvas canvas, Plot plot, int left, int top, int right, int bottom)
    {
        canvas.Save();
        canvas.ClipRect(new SKRect(left, top, right, bottom));
        plot.Render(canvas, new PixelRect(left, right, bottom, top));
        canvas.Restore();
    }
}
