using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>The client's requests, byte for byte as PROTOCOL.md §2 and §4 show them, and read back by the server's reader.</summary>
public sealed class ClientRequestsTests
{
    [Test]
    public void Join_Session_ExactBytes()
    {
        Assert.That(Encoded.Text(w => ClientRequests.Join(w, "room1", "a")),
            Is.EqualTo("JOIN_CHATROOM: room1\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n"));
    }

    [Test]
    public void Leave_Session_ExactBytes()
    {
        Assert.That(Encoded.Text(w => ClientRequests.Leave(w, 0, 1, "a")),
            Is.EqualTo("LEAVE_CHATROOM: 0\nJOIN_ID: 1\nCLIENT_NAME: a\n"));
    }

    [Test]
    public void Chat_Session_ExactBytes()
    {
        Assert.That(Encoded.Text(w => ClientRequests.Chat(w, 0, 1, "a", "hello world")),
            Is.EqualTo("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: hello world\n\n"));
    }

    [Test]
    public void ChatHead_ThenText_TheSameBytesAsChat()
    {
        Assert.That(Encoded.Text(w => ClientRequests.ChatHead(w, 12, 345, "c7"u8)),
            Is.EqualTo("CHAT: 12\nJOIN_ID: 345\nCLIENT_NAME: c7\nMESSAGE: "));
        Assert.That(Encoded.Text(w => ClientRequests.ChatHead(w, 12, 345, "c7"u8)) + "hi\n\n",
            Is.EqualTo(Encoded.Text(w => ClientRequests.Chat(w, 12, 345, "c7", "hi"))));
    }

    [Test]
    public void Notices_StringAndUtf8Forms_AgreeWithWhatTheServerWrites()
    {
        Assert.That(System.Text.Encoding.UTF8.GetString(Notices.JoinedUtf8), Is.EqualTo(Notices.Joined));
        Assert.That(System.Text.Encoding.UTF8.GetString(Notices.LeftUtf8), Is.EqualTo(Notices.Left));
        Assert.That(Encoded.Text(w => ServerBlocks.JoinNotice(w, 2, "bob"u8)),
            Is.EqualTo("CHAT: 2\nCLIENT_NAME: bob\nMESSAGE: bob has joined this chatroom.\n\n"));
        Assert.That(Encoded.Text(w => ServerBlocks.LeaveNotice(w, 2, "bob"u8)),
            Is.EqualTo("CHAT: 2\nCLIENT_NAME: bob\nMESSAGE: bob has left this chatroom.\n\n"));
    }

    [Test]
    public void Disconnect_Session_ExactBytes()
    {
        Assert.That(Encoded.Text(w => ClientRequests.Disconnect(w, "b")),
            Is.EqualTo("DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: b\n"));
    }

    [Test]
    public void Helo_Text_ExactBytes()
    {
        Assert.That(Encoded.Text(w => ClientRequests.Helo(w, "BASE_TEST")), Is.EqualTo("HELO BASE_TEST\n"));
    }

    [Test]
    public void WordRequests_ExactBytes()
    {
        Assert.That(Encoded.Text(ClientRequests.KillService), Is.EqualTo("KILL_SERVICE\n"));
        Assert.That(Encoded.Text(ClientRequests.Help), Is.EqualTo("HELP\n"));
        Assert.That(Encoded.Text(ClientRequests.Stats), Is.EqualTo("STATS\n"));
    }

    [Test]
    public void EveryRequest_PipelinedThroughRequestReader_ReadBackInOrder()
    {
        var bytes = Encoded.Bytes(w =>
        {
            ClientRequests.Helo(w, "BASE_TEST");
            ClientRequests.Join(w, "café ☕", "Zoë");
            ClientRequests.Chat(w, 7, 3, "Zoë", "line one\nline two");
            ClientRequests.Leave(w, 7, 3, "Zoë");
            ClientRequests.Stats(w);
            ClientRequests.Help(w);
            ClientRequests.Disconnect(w, "Zoë");
            ClientRequests.KillService(w);
        });

        Assert.That(RequestFeed.Parse(bytes), Is.EqualTo(new[]
        {
            Helo(" BASE_TEST"), Join("café ☕", "Zoë"), Chat(7, 3, "line one\nline two"), Leave(7, 3),
            Simple(RequestKind.Stats), Simple(RequestKind.Help), Disconnect(), Simple(RequestKind.KillService),
        }));
    }
}
