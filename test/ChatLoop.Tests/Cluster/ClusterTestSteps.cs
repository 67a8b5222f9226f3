using ChatLoop.Protocol;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Cluster;

/// <summary>Protocol steps the cluster tests share.</summary>
internal static class ClusterTestSteps
{
    /// <summary>Joins and reads JOINED_CHATROOM and the joiner's own notice; returns the ref and join id.</summary>
    public static (long Ref, long JoinId) Join(TestClient c, string room, string name)
    {
        c.Send(Requests.Join(room, name));
        return ReadJoined(c, name);
    }

    public static (long Ref, long JoinId) ReadJoined(TestClient c, string name)
    {
        var joined = c.ReadBlock();
        Assert.That(joined.Kind, Is.EqualTo(ResponseKind.Joined), $"{c.Label}: {TestClient.Show(joined)}");
        var notice = c.ReadBlock();
        Assert.That(notice.IsJoinNotice && notice.Get("CLIENT_NAME") == name, Is.True, $"{c.Label}: expected its own join notice, got {TestClient.Show(notice)}");
        return (joined.GetNumber("ROOM_REF")!.Value, joined.GetNumber("JOIN_ID")!.Value);
    }

    /// <summary>Reads the next block and asserts it is <paramref name="expected"/>, byte for byte.</summary>
    public static void Expect(TestClient c, string expected) => c.ReadExactly(expected);

    /// <summary>Sends a JOIN until it is carried out (the node may be registering again); returns the ref and join id.</summary>
    public static (long Ref, long JoinId) JoinWhenUp(TestClient c, string room, string name, TimeSpan within)
    {
        Response? joined = null;
        // Between tries the node is still registering again: ask again shortly.
        Wait.Until(
            () =>
            {
                c.Send(Requests.Join(room, name));
                var block = c.ReadBlock(within);
                if (block.Kind == ResponseKind.Joined)
                {
                    joined = block;
                    return true;
                }

                Assert.That(block.GetNumber("ERROR_CODE"), Is.EqualTo(12), $"{c.Label}: {TestClient.Show(block)}");
                return false;
            },
            $"{c.Label}: the JOIN was never carried out",
            within,
            TimeSpan.FromMilliseconds(100));
        var notice = c.ReadBlock();
        Assert.That(notice.IsJoinNotice && notice.Get("CLIENT_NAME") == name, Is.True, $"{c.Label}: {TestClient.Show(notice)}");
        return (joined!.GetNumber("ROOM_REF")!.Value, joined.GetNumber("JOIN_ID")!.Value);
    }

    /// <summary>Sends a CHAT until it is carried out (the cluster may be coming back); returns false if it never was.</summary>
    public static bool ChatWhenUp(TestClient c, long roomRef, long joinId, string name, string message, TimeSpan within)
    {
        // Between tries the cluster is still down: ask again shortly.
        return Wait.TryUntil(
            () =>
            {
                c.Send(Requests.Chat(roomRef, joinId, name, message));
                var block = c.ReadBlock(within);
                if (block.Kind == ResponseKind.Chat)
                {
                    Assert.That(block.Message, Is.EqualTo(message), $"{c.Label}: {TestClient.Show(block)}");
                    return true;
                }

                Assert.That(block.GetNumber("ERROR_CODE"), Is.EqualTo(12), $"{c.Label}: {TestClient.Show(block)}");
                return false;
            },
            within,
            TimeSpan.FromMilliseconds(100));
    }
}
