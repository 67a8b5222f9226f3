using ChatLoop.Server;
using ChatLoop.Server.Polling;

namespace ChatLoop.Tests.Polling;

/// <summary><c>--poller</c>: select by default, epoll where the platform has it, anything else one clear error.</summary>
public sealed class PollerOptionTests
{
    [Test]
    public void Create_NoPollerGiven_Select()
    {
        var settings = SettingsFactory.Create(new ServerOptions { Port = 5000 });

        Assert.That(settings.Poller, Is.EqualTo(PollerKind.Select));
    }

    [TestCase("select", PollerKind.Select)]
    [TestCase("EPOLL", PollerKind.Epoll)]
    public void Create_PollerNamed_ThatPoller(string name, PollerKind expected)
    {
        Assume.That(PollerFactory.IsSupported(expected), "this platform lacks " + name);

        var settings = SettingsFactory.Create(new ServerOptions { Port = 5000, Poller = name });

        Assert.That(settings.Poller, Is.EqualTo(expected));
    }

    [Test]
    public void Create_UnknownPoller_OneLineNamingTheChoices()
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsFactory.Create(new ServerOptions { Port = 5000, Poller = "kqueue" }));

        Assert.That(e!.Message, Is.EqualTo("--poller must be select or epoll, not 'kqueue'"));
    }
}
