using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Web;

/// <summary>
/// The page in a real headless Chromium, through a real gateway, to a real server, beside a raw TCP client
/// as netcat would be. Each test saves screenshots (attached to its result) of what the people see.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class BrowserChatTests
{
    [Test]
    public void TwoBrowsersAndARawClient_InOneRoom_EachSeesTheOthersInTheRoomsOrder()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        using var alice = new Browser(gateway.PageUrl, "alice");
        using var bob = new Browser(gateway.PageUrl, "bob");
        using var carol = server.Connect();
        carol.Label = "carol (tcp)";

        alice.Join("lobby", "alice");
        Assert.That(alice.WaitForRoom("lobby"), Is.EqualTo("0"));
        carol.Send(Requests.Join("lobby", "carol"));
        carol.ReadExactly(Blocks.Joined("lobby", server.Port, 0, 2) + Blocks.Joins(0, "carol"));
        bob.Join("lobby", "bob");
        bob.WaitForRoom("lobby");
        carol.ReadExactly(Blocks.Joins(0, "bob"));

        alice.Say("lobby", "hello from alice");
        bob.Say("lobby", "a poem from bob:\nroses are red\n\n  violets are blue");
        carol.Send(Requests.Chat(0, 2, "carol", "hi from netcat"));
        alice.Say("lobby", "bye");

        // The room's order is the order the server broadcast in; carol reads it straight off the wire.
        const string poem = "a poem from bob:\nroses are red\n  violets are blue";
        var order = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            var block = carol.ReadBlock();
            order.Add($"chat|{block.Get("CLIENT_NAME")}|{block.Message}");
        }

        Assert.That(order, Is.EquivalentTo(new[] { "chat|alice|hello from alice", $"chat|bob|{poem}", "chat|carol|hi from netcat", "chat|alice|bye" }));
        Assert.That(order.IndexOf("chat|alice|hello from alice"), Is.LessThan(order.IndexOf("chat|alice|bye")));

        var aliceSees = alice.WaitForLines("lobby", 7);
        Assert.That(aliceSees, Is.EqualTo(new[] { "joined|alice|alice joined", "joined|carol|carol joined", "joined|bob|bob joined" }.Concat(order)));
        var bobSees = bob.WaitForLines("lobby", 5);
        Assert.That(bobSees, Is.EqualTo(new[] { "joined|bob|bob joined" }.Concat(order)));
        Assert.That(alice.OwnLines("lobby"), Is.EqualTo(new[] { "hello from alice", "bye" }));
        Assert.That(bob.OwnLines("lobby"), Is.EqualTo(new[] { poem }));
        Assert.That(alice.Members("lobby"), Is.EqualTo(new[] { "alice", "bob", "carol" }));
        Assert.That(bob.Members("lobby"), Is.EqualTo(new[] { "bob" }), "bob saw no notice of the members before him");
        bob.Screenshot("bob");

        // A second room is a second tab; what is said in the room not shown is counted on its tab.
        alice.Join("games");
        Assert.That(alice.WaitForRoom("games"), Is.EqualTo("1"));
        carol.Send(Requests.Chat(0, 2, "carol", "anyone for chess?"));
        alice.WaitFor("the unread count on lobby's tab", () => alice.Tabs.SequenceEqual(["lobby (1)", "games"]));
        alice.Select("lobby");
        Assert.That(alice.Tabs, Is.EqualTo(new[] { "lobby", "games" }));
        Assert.That(alice.Lines("lobby")[^1], Is.EqualTo("chat|carol|anyone for chess?"));
        carol.ReadBlock();
        alice.Screenshot("alice");

        bob.Leave("lobby");
        carol.ReadExactly(Blocks.Leaves(0, "bob"));
        Assert.That(alice.WaitForLines("lobby", 9)[8], Is.EqualTo("left|bob|bob left"));
        alice.WaitFor("bob gone from the members", () => alice.Members("lobby").SequenceEqual(["alice", "carol"]));

        alice.Disconnect();
        carol.ReadExactly(Blocks.Leaves(0, "alice"));
        alice.WaitFor("the page to say it is disconnected", () => alice.Status.StartsWith("Disconnected", StringComparison.Ordinal));
    }

    [Test]
    public void TakenName_IsShownInWords_AndAnotherNameThenJoins()
    {
        using var server = new TestServer();
        using var gateway = new WebGateway(server.Port);
        using var dave = server.Connect();
        dave.Send(Requests.Join("lobby", "dave"));
        dave.ReadExactly(Blocks.Joined("lobby", server.Port, 0, 1) + Blocks.Joins(0, "dave"));
        using var page = new Browser(gateway.PageUrl, "page");

        page.Join("lobby", "Dave");
        page.WaitFor("the error banner", () => page.Error.Length > 0);
        Assert.That(page.Error, Does.StartWith("The name \"Dave\" is already taken; pick another name"));
        Assert.That(page.Error, Does.Not.Contain("ERROR_CODE").And.Not.Contain(" 6 "));
        page.Screenshot("taken");

        page.Join("lobby", "erin");
        page.WaitForRoom("lobby");
        dave.ReadExactly(Blocks.Joins(0, "erin"));
        Assert.That(page.Error, Is.Empty);
    }

    [Test]
    public void ServerStoppedMidSession_PageSaysSo_ReconnectsToTheNextServer_AndRejoins()
    {
        var first = new TestServer();
        using var second = new TestServer();
        try
        {
            using var gateway = new WebGateway([first.Port, second.Port]);
            using var page = new Browser(gateway.PageUrl, "alice");
            using var watcher = second.Connect();
            watcher.Send(Requests.Join("lobby", "watcher"));
            watcher.ReadBlock();
            watcher.ReadBlock();

            page.Join("lobby", "alice");
            page.WaitForRoom("lobby");
            page.Say("lobby", "on the first server");
            page.WaitForLines("lobby", 2);

            first.Dispose();
            page.WaitForEvent("Lost the connection to the chat server (the gateway says: the chat server closed the connection)");
            page.WaitForEvent($"Reconnected to the chat server (127.0.0.1:{second.Port}); rejoining lobby");
            watcher.ReadExactly(Blocks.Joins(0, "alice"));
            page.Say("lobby", "on the second server");
            watcher.ReadExactly(Blocks.Chat(0, "alice", "on the second server"));
            Assert.That(page.WaitForLines("lobby", 6), Is.EqualTo(new[]
            {
                "joined|alice|alice joined", "chat|alice|on the first server", "system||Connection lost; reconnecting…",
                $"system||Reconnected (127.0.0.1:{second.Port}); joining again…", "joined|alice|alice joined", "chat|alice|on the second server",
            }));
            page.Screenshot("reconnected");

            second.Dispose();
            page.WaitFor("the page to say no server can be reached", () => page.Status.StartsWith("Cannot reach the chat server", StringComparison.Ordinal));
            Assert.That(page.Status, Does.Contain($"127.0.0.1:{first.Port}: connection refused; 127.0.0.1:{second.Port}: connection refused").And.Contain("Retrying in"));
            page.Say("lobby", "into the void");
            page.WaitFor("the page to refuse to send while offline", () => page.Error.StartsWith("Not connected to the chat server", StringComparison.Ordinal));
            Assert.That(page.Draft("lobby"), Is.EqualTo("into the void"), "the unsent text stays in the box");
            page.Screenshot("unreachable");
        }
        finally
        {
            first.Dispose();
        }
    }
}
