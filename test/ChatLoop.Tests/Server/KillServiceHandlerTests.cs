using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Tests.Support;
using Moq;

namespace ChatLoop.Tests.Server;

/// <summary>PROTOCOL.md §2.6: who may stop the server, checked at the handler with a mocked <see cref="IServerControl"/>.</summary>
public sealed class KillServiceHandlerTests
{
    [TestCase(KillServicePolicy.Loopback, true)]
    [TestCase(KillServicePolicy.Any, true)]
    [TestCase(KillServicePolicy.Any, false)]
    public void Handle_KillServicePermitted_RequestShutdownOnceAndNothingQueued(KillServicePolicy policy, bool loopbackPeer)
    {
        var h = new HandlerHarness(new ServerSettings { KillService = policy });
        h.Control.Setup(c => c.RequestShutdown(It.IsAny<string>()));
        var a = h.Connect(loopbackPeer ? HandlerHarness.LoopbackPeer : HandlerHarness.RemotePeer);

        h.Feed(a, "KILL_SERVICE\n");

        h.Control.Verify(c => c.RequestShutdown(It.Is<string>(reason => reason.Contains("KILL_SERVICE"))), Times.Once);
        Assert.That(HandlerHarness.Take(a), Is.Empty);
    }

    [TestCase(KillServicePolicy.Loopback, false)]
    [TestCase(KillServicePolicy.Off, true)]
    [TestCase(KillServicePolicy.Off, false)]
    public void Handle_KillServiceRefused_Error8NoShutdownAndStaysOpen(KillServicePolicy policy, bool loopbackPeer)
    {
        var h = new HandlerHarness(new ServerSettings { KillService = policy });
        var a = h.Connect(loopbackPeer ? HandlerHarness.LoopbackPeer : HandlerHarness.RemotePeer);

        h.Feed(a, "KILL_SERVICE\n");

        h.Control.Verify(c => c.RequestShutdown(It.IsAny<string>()), Times.Never);
        Assert.That(HandlerHarness.Take(a), Does.Match($"^ERROR_CODE: {(int)ErrorCode.NotPermitted}\\nERROR_DESCRIPTION: [^\\n]+\\n$"));
        Assert.That(a.IsOpen, Is.True);
    }

    [TestCase(KillServicePolicy.Loopback)]
    [TestCase(KillServicePolicy.Off)]
    public void Handle_KillServiceRefused_DescriptionSaysHowToAllowIt(KillServicePolicy policy)
    {
        // A grader on another host ends its run with KILL_SERVICE: the refusal tells its operator the setting.
        var h = new HandlerHarness(new ServerSettings { KillService = policy });
        var a = h.Connect(HandlerHarness.RemotePeer);

        h.Feed(a, "KILL_SERVICE\n");

        Assert.That(HandlerHarness.Take(a), Does.Match("^ERROR_CODE: 8\nERROR_DESCRIPTION: not permitted: [^\n]*--kill-service any[^\n]*\n$"));
    }

    [Test]
    public void Handle_KillServiceFromIpv4MappedLoopback_Permitted()
    {
        var h = new HandlerHarness();
        h.Control.Setup(c => c.RequestShutdown(It.IsAny<string>()));
        var a = h.Connect(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback.MapToIPv6(), 40000));

        h.Feed(a, "KILL_SERVICE\n");

        h.Control.Verify(c => c.RequestShutdown(It.IsAny<string>()), Times.Once);
    }
}
