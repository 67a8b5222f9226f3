using ChatLoop.Server;

namespace ChatLoop.Tests.Server;

/// <summary>The command-line options of issue 11, as <see cref="SettingsFactory"/> validates them.</summary>
public sealed class FlowSettingsTests
{
    [Test]
    public void Create_Defaults_TenSecondLagAndOneSecondDrainWindow()
    {
        var settings = SettingsFactory.Create(new ServerOptions { Port = 5000 });

        Assert.That(settings.MaxLag, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(settings.DrainWindow, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void Create_LagAndDrainWindowGiven_InTheSettings()
    {
        var settings = SettingsFactory.Create(new ServerOptions { Port = 5000, MaxLagS = 2.5, DrainWindowMs = 300 });

        Assert.That(settings.MaxLag, Is.EqualTo(TimeSpan.FromSeconds(2.5)));
        Assert.That(settings.DrainWindow, Is.EqualTo(TimeSpan.FromMilliseconds(300)));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(100_000.0)]
    public void Create_MaxLagOutOfRange_OneLineNamingTheOption(double seconds)
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsFactory.Create(new ServerOptions { Port = 5000, MaxLagS = seconds }));

        Assert.That(e!.Message, Does.StartWith("--max-lag-s must be"));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void Create_DrainWindowNotPositive_OneLineNamingTheOption(int ms)
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsFactory.Create(new ServerOptions { Port = 5000, DrainWindowMs = ms }));

        Assert.That(e!.Message, Does.StartWith("--drain-window-ms must be"));
    }
}
