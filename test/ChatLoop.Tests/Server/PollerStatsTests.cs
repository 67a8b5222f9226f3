using ChatLoop.Protocol;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Server;

/// <summary>STATS says which poller runs, so the suite's two passes are seen to use the two pollers.</summary>
public sealed class PollerStatsTests(PollerKind poller) : PollerFixture(poller)
{
    [Test]
    public void Stats_EachPollerFixture_NamesThePollerThatRuns()
    {
        using var server = new TestServer();
        using var client = server.Connect();

        client.Send("STATS\n");
        var block = client.ReadBlock();

        Assert.That(block.Kind, Is.EqualTo(ResponseKind.Block));
        Assert.That(block.Get("POLLER"), Is.EqualTo(Poller == PollerKind.Epoll ? "epoll" : "select"));
        Assert.That(block.GetNumber("SELECTS"), Is.GreaterThan(0), "the STATS request itself needed a wait");
    }
}
