using System.Net;
using ChatLoop.Server;
using CommandLine;

namespace ChatLoop.Tests.Metrics;

/// <summary>--metrics-port and --metrics-bind as the command line gives them.</summary>
public sealed class MetricsOptionsTests
{
    [Test]
    public void Create_NoMetricsOptions_OffAndLoopback()
    {
        var settings = SettingsFactory.Create(Parse("5000"));
        Assert.That(settings.MetricsPort, Is.Null);
        Assert.That(settings.MetricsBind, Is.EqualTo(IPAddress.Loopback));
    }

    [Test]
    public void Create_MetricsPortAndBind_Taken()
    {
        var settings = SettingsFactory.Create(Parse("5000", "--metrics-port", "9464", "--metrics-bind", "0.0.0.0"));
        Assert.That(settings.MetricsPort, Is.EqualTo(9464));
        Assert.That(settings.MetricsBind, Is.EqualTo(IPAddress.Any));
    }

    [TestCase("--metrics-port", "70000", "--metrics-port must be 0-65535, not 70000")]
    [TestCase("--metrics-port", "-1", "--metrics-port must be 0-65535, not -1")]
    [TestCase("--metrics-bind", "localhost", "--metrics-bind: 'localhost' is not an IP address")]
    public void Create_BadMetricsOption_OneClearLine(string option, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsFactory.Create(Parse("5000", option, value)));
        Assert.That(e!.Message, Is.EqualTo(message));
    }

    private static ServerOptions Parse(params string[] args)
    {
        using var parser = new Parser(s => s.HelpWriter = null);
        var parsed = parser.ParseArguments<ServerOptions>(args);
        Assert.That(parsed.Tag, Is.EqualTo(ParserResultType.Parsed), string.Join(" ", args));
        return parsed.Value;
    }
}
