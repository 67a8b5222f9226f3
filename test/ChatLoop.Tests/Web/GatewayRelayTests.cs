using System.Net.WebSockets;
using System.Text.Json;
using ChatLoop.Protocol;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Web;

/// <summary>The gateway without a browser: a real ClientWebSocket through a real gateway to a real server.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class GatewayRelayTests
{
    private static object Join(string room, string name) => new { type = "join", room, name };

    private static object Chat(long roomRef, long joinId, string name, string message) => new { type = "chat", @ref = roomRef, joinId, name, message };

    [Test]
    public void WebSocket_IsOneServerConnection_BlocksBothWaysAsJson()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        using var web = GatewayClient.Connect(gateway.SocketUri);
        Assert.That(web.Read().GetProperty("text").GetString(), Is.EqualTo($"127.0.0.1:{server.Port}"));

        using var tcp = server.Connect();
        tcp.Send(Requests.Join("lobby", "carol"));
        tcp.ReadExactly(Blocks.Joined("lobby", server.Port, 0, 1) + Blocks.Joins(0, "carol"));

        web.Send(Join("lobby", "alice"));
        var joined = web.Read();
        Assert.That(joined.GetProperty("type").GetString(), Is.EqualTo("joined"));
        Assert.That(joined.GetProperty("room").GetString(), Is.EqualTo("lobby"));
        Assert.That(joined.GetProperty("ref").GetInt64(), Is.EqualTo(0));
        Assert.That(joined.GetProperty("joinId").GetInt64(), Is.EqualTo(2));
        AssertChat(web.Read(), "alice", "alice has joined this chatroom.", "joined");
        tcp.ReadExactly(Blocks.Joins(0, "alice"));

        web.Send(Chat(0, 2, "alice", "two\r\nlines"));
        tcp.ReadExactly(Blocks.Chat(0, "alice", "two\nlines"));
        AssertChat(web.Read(), "alice", "two\nlines", null);

        tcp.Send(Requests.Chat(0, 1, "carol", "hi alice"));
        AssertChat(web.Read(), "carol", "hi alice", null);
        tcp.ReadExactly(Blocks.Chat(0, "carol", "hi alice"));

        web.Send(new { type = "leave", @ref = 0, joinId = 2, name = "alice" });
        var left = web.Read();
        Assert.That(left.GetProperty("type").GetString(), Is.EqualTo("left"));
        AssertChat(web.Read(), "alice", "alice has left this chatroom.", "left");
        tcp.ReadExactly(Blocks.Leaves(0, "alice"));

        // One WebSocket, one connection: the server has exactly carol's and alice's.
        tcp.Send("STATS\n");
        Assert.That(StatsReply.Value(tcp.ReadThrough("\n\n"), "CLIENTS"), Is.EqualTo(2));
    }

    [Test]
    public void MessagesThatAreNotUtf8_OrMimicANotice_ReachThePageAsPlainText()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        using var web = AliceInLobby(gateway);
        using var tcp = CarolJoins(server, web);

        // Another's join notice in carol's mouth is a message; a byte that is not UTF-8 becomes U+FFFD, and the relay goes on.
        tcp.Send(Requests.Chat(0, 2, "carol", "alice has joined this chatroom."));
        AssertChat(web.Read(), "carol", "alice has joined this chatroom.", null);
        tcp.Send([.. System.Text.Encoding.UTF8.GetBytes("CHAT: 0\nJOIN_ID: 2\nCLIENT_NAME: carol\nMESSAGE: caf"), 0xE9, .. "\n\n"u8]);
        AssertChat(web.Read(), "carol", "caf\uFFFD", null);
        tcp.Send(Requests.Chat(0, 2, "carol", "still here"));
        AssertChat(web.Read(), "carol", "still here", null);
    }

    [Test]
    public void LargeMessages_BothWays_ArriveWhole()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        using var web = AliceInLobby(gateway);
        using var tcp = CarolJoins(server, web);

        // 40 KB each way, many times the buffers' first size, under the server's 64 KiB request bound.
        var big = string.Join('\n', Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 5000)));
        tcp.Send(Requests.Chat(0, 2, "carol", big));
        AssertChat(web.Read(), "carol", big, null);
        tcp.ReadBlock();
        web.Send(Chat(0, 1, "alice", big));
        tcp.ReadExactly(Blocks.Chat(0, "alice", big));
        AssertChat(web.Read(), "alice", big, null);
    }

    [Test]
    public void ServerError_ReachesThePage_AsCodeAndWords()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        using var tcp = server.Connect();
        tcp.Send(Requests.Join("lobby", "dave"));
        tcp.ReadBlock();
        using var web = GatewayClient.Connect(gateway.SocketUri);
        web.Send(Join("lobby", "DAVE"));
        var error = web.ReadUntil("error");
        Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(6));
        Assert.That(error.GetProperty("description").GetString(), Does.StartWith("name in use"));
    }

    [Test]
    public void BrowserBreakingTheEnvelope_GetsTheProtocolsErrors_AndStaysConnected()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        using var web = GatewayClient.Connect(gateway.SocketUri);
        web.ReadUntil("gateway");

        web.SendRaw("not json");
        Assert.That(web.ReadUntil("error").GetProperty("code").GetInt32(), Is.EqualTo((int)ErrorCode.MalformedRequest));
        web.Send(new { type = "kill" });
        Assert.That(web.ReadUntil("error").GetProperty("code").GetInt32(), Is.EqualTo((int)ErrorCode.UnknownRequest));
        web.Send(new { type = "chat", @ref = -1, joinId = 0, name = "a", message = "x" });
        Assert.That(web.ReadUntil("error").GetProperty("code").GetInt32(), Is.EqualTo((int)ErrorCode.MalformedRequest));

        // A line end in a one-line field would smuggle a second request (here KILL_SERVICE) to the server.
        web.Send(Join("lobby", "eve\nKILL_SERVICE"));
        var smuggled = web.ReadUntil("error");
        Assert.That(smuggled.GetProperty("code").GetInt32(), Is.EqualTo((int)ErrorCode.InvalidName));

        web.Send(Join("lobby", "eve"));
        Assert.That(web.ReadUntil("joined").GetProperty("room").GetString(), Is.EqualTo("lobby"));
        using var tcp = server.Connect();
        tcp.Sync();
    }

    [Test]
    public void MessageLongerThanTheBound_GetsError3_AndIsCut()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway([server.Port], "--max-message-bytes", "4096");
        using var observer = server.Connect();
        observer.Send(Requests.Join("lobby", "obs"));
        observer.ReadBlock();
        observer.ReadBlock();
        using var web = GatewayClient.Connect(gateway.SocketUri);
        web.Send(Join("lobby", "flood"));
        web.ReadUntil("joined");
        observer.ReadExactly(Blocks.Joins(0, "flood"));

        web.Send(Chat(0, 2, "flood", new string('x', 5000)));
        var error = web.ReadUntil("error");
        Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo((int)ErrorCode.TooLong));
        while (web.TryRead() is not null)
        {
        }

        Assert.That(web.Socket.State, Is.EqualTo(WebSocketState.CloseReceived).Or.EqualTo(WebSocketState.Closed));
        observer.ReadExactly(Blocks.Leaves(0, "flood"));
    }

    [Test]
    public void Origin_OfAnotherSite_IsRefused_ThePagesOwnIsLetIn()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        var refused = Assert.Throws<WebSocketException>(() => GatewayClient.Connect(gateway.SocketUri, "http://evil.example"));
        Assert.That(refused!.Message, Does.Contain("403"));

        using var own = GatewayClient.Connect(gateway.SocketUri, $"http://127.0.0.1:{gateway.Port}");
        Assert.That(own.ReadUntil("gateway").GetProperty("event").GetString(), Is.EqualTo("connected"));
    }

    [Test]
    public void MoreWebSocketsThanTheBound_Get503_UntilOneCloses()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway([server.Port], "--max-connections", "2");
        using var one = GatewayClient.Connect(gateway.SocketUri);
        one.ReadUntil("gateway");
        using (var two = GatewayClient.Connect(gateway.SocketUri))
        {
            two.ReadUntil("gateway");
            var refused = Assert.Throws<WebSocketException>(() => GatewayClient.Connect(gateway.SocketUri));
            Assert.That(refused!.Message, Does.Contain("503"));
            two.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).GetAwaiter().GetResult();
        }

        using var three = ConnectWithin(gateway.SocketUri, Wait.Long);
        Assert.That(three.ReadUntil("gateway").GetProperty("event").GetString(), Is.EqualTo("connected"));
    }

    [Test]
    public void SeveralServers_AreTakenInTurn_AndOneDownIsPassedOver()
    {
        using var first = new TestServer();
        var down = new TestServer();
        using var second = new TestServer();
        int downPort = down.Port;
        using var gateway = new WebGateway([first.Port, downPort, second.Port]);
        down.Dispose();

        var landed = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            using var web = GatewayClient.Connect(gateway.SocketUri);
            landed.Add(web.ReadUntil("gateway").GetProperty("text").GetString()!);
        }

        Assert.That(landed, Is.EqualTo(new[] { $"127.0.0.1:{first.Port}", $"127.0.0.1:{second.Port}", $"127.0.0.1:{second.Port}" }));
    }

    [Test]
    public void NoServerReachable_PageIsToldInWords_AndTheSocketCloses()
    {
        var down = new TestServer();
        int port = down.Port;
        using var gateway = new WebGateway(port);
        down.Dispose();
        using var web = GatewayClient.Connect(gateway.SocketUri);
        var news = web.ReadUntil("gateway");
        Assert.That(news.GetProperty("event").GetString(), Is.EqualTo("unreachable"));
        Assert.That(news.GetProperty("text").GetString(), Is.EqualTo($"127.0.0.1:{port}: connection refused"));
        Assert.That(web.TryRead(), Is.Null);
        Assert.That(web.CloseReason, Is.EqualTo("cannot reach the chat server"));
    }

    [Test]
    public void ServerClosingTheConnection_ClosesTheWebSocket_WithTheReason()
    {
        var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        using var web = GatewayClient.Connect(gateway.SocketUri);
        web.ReadUntil("gateway");
        web.Send(Join("lobby", "alice"));
        web.ReadUntil("joined");
        server.Dispose();
        while (web.TryRead() is not null)
        {
        }

        Assert.That(web.CloseReason, Is.EqualTo("the chat server closed the connection"));
    }

    /// <summary>alice, through the gateway, alone in lobby (room 0), her join notice read.</summary>
    private static GatewayClient AliceInLobby(WebGateway gateway)
    {
        var web = GatewayClient.Connect(gateway.SocketUri);
        web.Send(Join("lobby", "alice"));
        web.ReadUntil("joined");
        web.ReadUntil("chat");
        return web;
    }

    /// <summary>carol, on raw TCP, joins alice in lobby: her reply read, and her notice as alice's page gets it.</summary>
    private static TestClient CarolJoins(TestServer server, GatewayClient web)
    {
        var tcp = server.Connect();
        tcp.Send(Requests.Join("lobby", "carol"));
        tcp.ReadExactly(Blocks.Joined("lobby", server.Port, 0, 2) + Blocks.Joins(0, "carol"));
        AssertChat(web.ReadUntil("chat"), "carol", "carol has joined this chatroom.", "joined");
        return tcp;
    }

    /// <summary>Connects, retrying while the gateway still counts a socket that is closing (bounded).</summary>
    private static GatewayClient ConnectWithin(Uri uri, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            try
            {
                return GatewayClient.Connect(uri);
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);  // retry pacing, bounded by the deadline
            }
        }
    }

    private static void AssertChat(JsonElement m, string name, string message, string? notice)
    {
        Assert.That(m.GetProperty("type").GetString(), Is.EqualTo("chat"), m.ToString());
        Assert.That(m.GetProperty("name").GetString(), Is.EqualTo(name), m.ToString());
        Assert.That(m.GetProperty("message").GetString(), Is.EqualTo(message), m.ToString());
        Assert.That(m.GetProperty("notice").ValueKind == JsonValueKind.Null ? null : m.GetProperty("notice").GetString(), Is.EqualTo(notice), m.ToString());
    }
}
