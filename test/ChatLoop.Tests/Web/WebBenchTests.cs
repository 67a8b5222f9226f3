using System.Net;
using ChatLoop.Tests.Support;
using ChatLoop.WebBench;

namespace ChatLoop.Tests.Web;

/// <summary>The gateway's cost measurement, run briefly: both transports carry the same load and every delivery is counted.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class WebBenchTests
{
    [Test]
    public void SameLoad_StraightAndThroughTheGateway_EveryDeliveryArrivesAndIsTimed()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        var options = new BenchOptions { Clients = 6, RoomSize = 3, Seconds = 1, Window = 2, Size = 64 };
        var endPoint = new DnsEndPoint("127.0.0.1", server.Port);

        var tcp = BenchRun.RunAsync("tcp", async ct => await TcpTransport.ConnectAsync(endPoint, ct), options, "t").GetAwaiter().GetResult();
        var ws = BenchRun.RunAsync("gateway", async ct => await WsTransport.ConnectAsync(gateway.SocketUri, ct), options, "w").GetAwaiter().GetResult();

        foreach (var run in new[] { tcp, ws })
        {
            Assert.That(run.Problem, Is.Null, run.ToString());
            Assert.That(run.Sent, Is.GreaterThan(0), run.ToString());
            Assert.That(run.Delivered, Is.EqualTo(run.Sent * 3), "every message reaches the 3 members of its room");
            Assert.That(run.Latency.TotalCount, Is.EqualTo(run.Delivered), "one latency per delivery");
        }
    }
}
