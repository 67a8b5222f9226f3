using System.Diagnostics;
using ChatLoop.Server;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Metrics;

/// <summary>Prometheus' own linter (promtool, Debian's prometheus package) reads what /metrics serves.</summary>
public sealed class PromtoolTests
{
    [Test]
    public void PromtoolCheckMetrics_ScrapeWithTraffic_Accepted()
    {
        // .ci/run installs it; under CI a missing promtool is a failure, on a developer's machine a skip.
        var promtool = ExternalTool.Require("promtool", "apt-get install prometheus");

        using var server = new TestServer(new ServerSettings { MetricsPort = 0 });
        using var scraper = new MetricsScraper(server.Server.MetricsEndPoint!);
        using var a = server.Connect();
        a.Send(Join("lobby", "a") + Chat(0, 1, "a", "hi") + Chat(7, 1, "a", "nowhere"));
        a.ReadThrough("ERROR_DESCRIPTION: no such room: 7\n");
        var samples = scraper.ScrapeUntil(s => s.GetValueOrDefault("chatloop_messages_in_total") == 1, TimeSpan.FromSeconds(10));
        Assert.That(samples["chatloop_messages_in_total"], Is.EqualTo(1));
        string text = scraper.ScrapeText();
        Check(promtool, text);

        // A cluster node's figures too (supplied by the cluster; PROTOCOL.md §7).
        Check(promtool, SuppliedFiguresTests.ExportText(new ChatLoop.Server.Metrics.ServerStats { Supplier = SuppliedFiguresTests.ClusterFigures }));
    }

    private static void Check(string promtool, string text)
    {
        var start = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(text);
        process.StandardInput.Close();
        Assert.That(process.WaitForExit(Wait.Long), Is.True, "promtool did not finish");
        Assert.That(process.ExitCode, Is.Zero, $"promtool check metrics: {stdout.Result}{stderr.Result}\n--- the scrape:\n{text}");
        Assert.That(stdout.Result + stderr.Result, Is.Empty, "promtool had remarks (lint problems are printed even on success)");
    }
}
