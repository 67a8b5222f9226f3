using ChatLoop.Server.Polling;

namespace ChatLoop.Tests.Support;

/// <summary>
/// A fixture that runs once per poller: every <see cref="TestServer"/> its tests start waits for events
/// with that fixture's poller, so the whole integration suite runs against Select and against epoll.
/// </summary>
[TestFixtureSource(typeof(PollerFixture), nameof(Pollers))]
public abstract class PollerFixture(PollerKind poller)
{
    public PollerKind Poller { get; } = poller;

    /// <summary>Every poller; one this platform lacks is listed and ignored, so the gap shows in the results.</summary>
    public static IEnumerable<TestFixtureData> Pollers()
    {
        yield return new TestFixtureData(PollerKind.Select).SetArgDisplayNames("select");
        var epoll = new TestFixtureData(PollerKind.Epoll).SetArgDisplayNames("epoll");
        yield return OperatingSystem.IsLinux() ? epoll : epoll.Ignore("no epoll on this platform");
    }
}
