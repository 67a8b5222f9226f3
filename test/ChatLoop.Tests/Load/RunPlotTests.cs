using System.Net;
using ChatLoop.Load;
using ChatLoop.Server;
using SkiaSharp;

namespace ChatLoop.Tests.Load;

/// <summary>--plot: the data drawn comes from the run, and the file is a PNG of the documented size.</summary>
[NonParallelizable]
public sealed class RunPlotTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("chatloop-plot-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Plot_RunWithTraffic_SeriesAndSpectrumFromThatRunAndAPng()
    {
        var (result, timeline, data) = Run(clients: 50, rooms: 5);
        Assert.That(result.Passed, Is.True);

        // the per-second series are the run's timeline (the --csv rows), which ends at the run's totals
        Assert.That(timeline[^1].Deliveries, Is.EqualTo(result.Deliveries));
        Assert.That(data.Seconds, Is.EqualTo(timeline.Select(r => r.ElapsedS)));
        Assert.That(data.DeliveriesPerS, Is.EqualTo(timeline.Select(r => r.DeliveriesPerS)));
        Assert.That(data.DeliveriesPerS.Max(), Is.GreaterThan(0));
        Assert.That(data.Joined[^1], Is.EqualTo(50));
        Assert.That(data.P50Ms.Where(double.IsFinite), Is.Not.Empty);

        // the spectrum: percentiles rising to 100, latencies never falling, ending at the run's max
        Assert.That(data.SpectrumPercentiles, Is.Ordered.Ascending);
        Assert.That(data.SpectrumPercentiles[^1], Is.EqualTo(100));
        Assert.That(data.SpectrumMs, Is.Ordered.Ascending);
        Assert.That(data.SpectrumMs[^1], Is.EqualTo(result.LatencyMaxUs / 1000).Within(0.1).Percent);
        Assert.That(data.Verdict, Does.StartWith("PASS: 9,000 of 9,000 delivered"));
        Assert.That(data.Settings, Does.StartWith("50 clients in 5 rooms on 127.0.0.1:"));

        AssertPng(data);
    }

    [Test]
    public void Plot_RunWithoutDeliveries_NothingDeliveredAndNoLatencyDrawn()
    {
        // one member per room: each message only comes back to its sender, which is no delivery
        var (result, _, data) = Run(clients: 4, rooms: 4);
        Assert.That(result.Passed, Is.True);
        Assert.That(result.SelfEchoes, Is.EqualTo(4 * 20));

        Assert.That(data.Seconds, Is.Not.Empty);
        Assert.That(data.DeliveriesPerS, Is.All.Zero);
        Assert.That(data.P50Ms.Concat(data.P99Ms).Concat(data.MaxMs), Is.All.NaN);
        Assert.That(data.SpectrumPercentiles, Is.Empty);
        Assert.That(data.Joined[^1], Is.EqualTo(4));
        AssertPng(data);
    }

    private static (RunResult Result, IReadOnlyList<TimelineRow> Timeline, PlotData Data) Run(int clients, int rooms)
    {
        using var server = new ChatServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });
        server.Start();
        var run = new LoadRun(new LoadSettings
        {
            Servers = [new IPEndPoint(IPAddress.Loopback, server.Port)],
            Clients = clients,
            Rooms = rooms,
            Messages = 20,
            ShowProgress = false,
            Timeout = TimeSpan.FromSeconds(60),
        });
        var result = run.Run(null, false);
        return (result, run.Timeline, PlotData.From(result, run.Timeline, run.Latency));
    }

    private void AssertPng(PlotData data)
    {
        string path = Path.Combine(_dir, "run.png");
        RunPlot.Save(path, data);

        Assert.That(new FileInfo(path).Length, Is.InRange(20_000, 1_000_000));
        using var codec = SKCodec.Create(path);
        Assert.That(codec, Is.Not.Null, "a decodable image");
        Assert.That(codec.EncodedFormat, Is.EqualTo(SKEncodedImageFormat.Png));
        Assert.That((codec.Info.Width, codec.Info.Height), Is.EqualTo((RunPlot.Width, RunPlot.Height)));
        using var bitmap = SKBitmap.Decode(codec);
        Assert.That(bitmap, Is.Not.Null);
    }
}
