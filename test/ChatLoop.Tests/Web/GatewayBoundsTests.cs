using System.Diagnostics;
using ChatLoop.Server;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Web;

/// <summary>The gateway never buffers for a browser without limit: one that stops reading is cut.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class GatewayBoundsTests
{
    [Test]
    public void BrowserThatStopsReading_IsCutAfterTheSendTimeout_AndLeavesItsRoom()
    {
        // The server's own limits set far off, so that the cut seen here is the gateway's.
        using var server = new TestServer(new ServerSettings { MaxOutboundBytes = 256 * 1024 * 1024, MaxLag = TimeSpan.FromSeconds(60) });
        using var gateway = new WebGateway([server.Port], "--send-timeout-s", "1");
        using var stalled = GatewayClient.Connect(gateway.SocketUri);
        stalled.Send(new { type = "join", room = "lobby", name = "stalled" });
        stalled.ReadUntil("joined");

        using var flooder = server.Connect();
        flooder.Label = "flooder";
        flooder.Send(Requests.Join("lobby", "flooder"));
        flooder.ReadBlock();
        flooder.ReadBlock();

        // The browser reads nothing from here on; the flood fills the kernel's buffers and the gateway's one message.
        var chat = System.Text.Encoding.UTF8.GetBytes(Requests.Chat(0, 2, "flooder", new string('f', 8000)));
        using var done = new CancellationTokenSource();
        long sent = 0;
        var flood = Task.Run(() =>
        {
            // The raw socket: an assertion on this thread would not fail the test. Disposing it ends the flood.
            try
            {
                for (int i = 0; i < 20_000 && !done.IsCancellationRequested; i++)
                {
                    flooder.Socket.Send(chat);
                    Interlocked.Increment(ref sent);
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // the test ended
            }
        });

        var watch = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var block = flooder.ReadBlock(TimeSpan.FromSeconds(30));
                if (block.IsLeaveNotice && block.Get("CLIENT_NAME") == "stalled")
                {
                    break;
                }
            }
        }
        finally
        {
            done.Cancel();
        }

        TestContext.Out.WriteLine($"cut after {watch.Elapsed.TotalSeconds:0.0} s, {Interlocked.Read(ref sent)} messages of 8 KB sent");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
        flooder.Socket.Dispose();
        flood.Wait(Wait.Long);
    }
}
