using System.Text.RegularExpressions;
using ChatLoop.Server.Metrics;

namespace ChatLoop.Tests.Metrics;

/// <summary>The one name table: Prometheus naming conventions, and families that agree with themselves.</summary>
public sealed partial class StatsTableTests
{
    [Test]
    public void Rows_MetricNames_FollowPrometheusConventions()
    {
        foreach (var row in StatsTable.Rows.Where(r => r.Metric is not null))
        {
            Assert.That(row.Metric, Does.Match(MetricName()), "prefix, lower snake case");
            if (row.Kind == StatKind.Counter)
            {
                Assert.That(row.Metric, Does.EndWith("_total"), "a counter ends in _total");
            }
            else
            {
                Assert.That(row.Metric, Does.Not.EndWith("_total"), "only counters end in _total");
            }

            Assert.That(row.Metric, Does.Not.Contain("_ms").And.Not.Contain("milli"), "base units: seconds, not milliseconds");
        }
    }

    [Test]
    public void Rows_OneFamily_OneKindHelpAndLabel()
    {
        foreach (var family in StatsTable.Rows.Where(r => r.Metric is not null).GroupBy(r => r.Metric))
        {
            Assert.That(family.Select(r => (r.Kind, r.Help, r.Label?.Name)).Distinct().Count(), Is.EqualTo(1), family.Key);
            Assert.That(family.Select(r => r.Label?.Value).Distinct().Count(), Is.EqualTo(family.Count()), $"{family.Key}: each row its own label value");
        }
    }

    [Test]
    public void Rows_StatsKeys_ThoseOfPROTOCOL6FirstAndUnique()
    {
        var keys = StatsTable.Rows.Where(r => !r.HiddenInStats).Select(r => r.Key).OfType<string>().ToList();
        Assert.That(keys.Take(7), Is.EqualTo(new[] { "CLIENTS", "ROOMS", "MESSAGES_IN", "DELIVERIES_OUT", "BYTES_IN", "BYTES_OUT", "UPTIME_S" }));
        Assert.That(keys, Is.Unique);
        Assert.That(StatsTable.KeyCount, Is.EqualTo(keys.Count));
    }

    [GeneratedRegex("^chatloop_[a-z0-9]+(_[a-z0-9]+)*$")]
    private static partial Regex MetricName();
}
