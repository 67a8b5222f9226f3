using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Metrics;

/// <summary>/metrics on a real server: scraped over HTTP while real clients join and chat on loopback.</summary>
public sealed class MetricsEndpointTests
{
    /// <summary>Counters the test does not drive: the reactor's own ticks, calls and the runtime's GC.</summary>
    private static readonly string[] NotDriven =
    [
        "chatloop_uptime_seconds", "chatloop_ticks_total", "chatloop_poller_wait_seconds_total",
        "chatloop_sends_total", "chatloop_receives_total", "chatloop_gc_",
    ];

    private static readonly TimeSpan PublishBound = TimeSpan.FromSeconds(10);

    [Test]
    public void Scrape_ClientsJoinChatAndErr_EveryCounterMovedByExactlyWhatTheClientsDid()
    {
        using var server = new TestServer(new ServerSettings { MetricsPort = 0 });
        using var scraper = new MetricsScraper(server.Server.MetricsEndPoint!);
        var before = scraper.ScrapeUntil(s => s["chatloop_uptime_seconds"] > 0, PublishBound);
        Assert.That(before["chatloop_uptime_seconds"], Is.GreaterThan(0), "the reactor never published its figures");

        long sent = 0, received = 0;
        int port = server.Port;
        using var a = server.Connect();
        using var b = server.Connect();
        using var c = server.Connect();
        SendAs(a, Join("lobby", "a"));
        ReadAs(a, Joined("lobby", port, 0, 1) + Joins(0, "a"));
        SendAs(b, Join("lobby", "b"));
        ReadAs(b, Joined("lobby", port, 0, 2) + Joins(0, "b"));
        ReadAs(a, Joins(0, "b"));
        SendAs(c, Join("lobby", "c"));
        ReadAs(c, Joined("lobby", port, 0, 3) + Joins(0, "c"));
        ReadAs(a, Joins(0, "c"));
        ReadAs(b, Joins(0, "c"));

        foreach (var (who, id, text) in new[] { (a, 1, "one"), (a, 1, "two"), (b, 2, "three") })
        {
            SendAs(who, Chat(0, id, who == a ? "a" : "b", text));
            foreach (var member in new[] { a, b, c })
            {
                ReadAs(member, Chat(0, who == a ? "a" : "b", text));
            }
        }

        SendAs(c, Chat(99, 3, "c", "nowhere"));
        ReadAs(c, "ERROR_CODE: 4\nERROR_DESCRIPTION: no such room: 99\n");

        using var browser = server.Connect();
        SendAs(browser, "GET / HTTP/1.1\r\n");
        browser.ExpectClosed(allowReset: true);

        // Joins notify 1, 2 and 3 members; three chats reach three members each.
        var expected = new Dictionary<string, double>
        {
            ["chatloop_clients"] = 3,
            ["chatloop_rooms"] = 1,
            ["chatloop_accepted_connections_total"] = 4,
            ["chatloop_requests_total{kind=\"join\"}"] = 3,
            ["chatloop_requests_total{kind=\"chat\"}"] = 4,
            ["chatloop_requests_total{kind=\"http\"}"] = 1,
            ["chatloop_messages_in_total"] = 3,
            ["chatloop_deliveries_out_total"] = 6 + 9,
            ["chatloop_blocks_out_total"] = 6 + 9 + 3 + 1,
            ["chatloop_errors_sent_total{code=\"4\"}"] = 1,
            ["chatloop_clients_cut_off_total{reason=\"http_request\"}"] = 1,
            ["chatloop_received_bytes_total"] = sent,
            ["chatloop_sent_bytes_total"] = received,
            ["chatloop_outbound_queued_bytes"] = 0,
        };
        var after = scraper.ScrapeUntil(s => Moved(before, s, expected).Count == 0, PublishBound);
        Assert.That(Moved(before, after, expected), Is.Empty, "series that did not move by what the clients did (name: expected / actual change)");

        void SendAs(TestClient client, string text)
        {
            client.Send(text);
            sent += Encoding.UTF8.GetByteCount(text);
        }

        void ReadAs(TestClient client, string text)
        {
            client.ReadExactly(text);
            received += Encoding.UTF8.GetByteCount(text);
        }
    }

    [Test]
    public void Scrape_AnyHostHeader_Answers()
    {
        using var server = new TestServer(new ServerSettings { MetricsPort = 0 });
        using var scraper = new MetricsScraper(server.Server.MetricsEndPoint!, host: "localhost");
        Assert.That(scraper.ScrapeText(), Does.Contain("# TYPE chatloop_messages_in_total counter"));
    }

    [Test]
    public void Start_MetricsPortInUse_OneClearLineAndTheChatPortIsFreed()
    {
        using var first = new TestServer(new ServerSettings { MetricsPort = 0 });
        int metricsPort = first.Server.MetricsEndPoint!.Port;
        var settings = new ServerSettings { Port = 0, Bind = System.Net.IPAddress.Loopback, MetricsPort = metricsPort };
        using var second = new ChatServer(settings);
        var e = Assert.Throws<ChatLoop.Server.Metrics.MetricsPortException>(second.Start);
        Assert.That(e!.Message, Is.EqualTo($"metrics port {metricsPort} is already in use on 127.0.0.1"));
    }

    [Test]
    public void Scrape_AnotherScraperSendsHalfARequest_ServedOnceItsTimeRunsOut()
    {
        using var server = new TestServer(new ServerSettings { MetricsPort = 0 });
        using var stalled = TestClient.Connect(server.Server.MetricsEndPoint!.Port, label: "stalled scraper");
        stalled.Send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        using var scraper = new MetricsScraper(server.Server.MetricsEndPoint!, timeout: TimeSpan.FromSeconds(20));
        Assert.That(scraper.ScrapeText(), Does.Contain("chatloop_clients "), "served once the stalled scraper's 5 s ran out");
        stalled.ExpectClosed(allowReset: true);
    }

    [Test]
    public void Get_OtherPath_NotFound()
    {
        using var server = new TestServer(new ServerSettings { MetricsPort = 0 });
        using var http = new HttpClient { Timeout = Wait.Long };
        var response = http.GetAsync($"http://127.0.0.1:{server.Server.MetricsEndPoint!.Port}/").GetAwaiter().GetResult();
        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public void Start_NoMetricsPort_NothingServed()
    {
        using var server = new TestServer();
        Assert.That(server.Server.MetricsEndPoint, Is.Null);
    }

    /// <summary>Every driven series whose change from <paramref name="before"/> is not the expected one (absent means 0).</summary>
    private static List<string> Moved(Dictionary<string, double> before, Dictionary<string, double> after, Dictionary<string, double> expected)
    {
        var wrong = new List<string>();
        foreach (var (name, value) in after)
        {
            if (!name.StartsWith("chatloop_", StringComparison.Ordinal) || NotDriven.Any(n => name.StartsWith(n, StringComparison.Ordinal)))
            {
                continue;
            }

            double change = value - before.GetValueOrDefault(name);
            double want = expected.GetValueOrDefault(name);
            if (change != want)
            {
                wrong.Add($"{name}: {want} / {change}");
            }
        }

        wrong.AddRange(expected.Keys.Where(k => !after.ContainsKey(k)).Select(k => $"{k}: missing"));
        return wrong;
    }
}
