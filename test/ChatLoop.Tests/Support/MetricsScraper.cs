using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ChatLoop.Tests.Support;

/// <summary>Scrapes a server's /metrics over real HTTP on loopback, as Prometheus does, and reads the samples.</summary>
public sealed class MetricsScraper : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _uri;

    public MetricsScraper(IPEndPoint endPoint, string host = "127.0.0.1", TimeSpan? timeout = null)
    {
        _uri = new Uri($"http://{host}:{endPoint.Port}/metrics");
        _http = new HttpClient { Timeout = timeout ?? Wait.Long };
    }

    /// <summary>The body of one scrape; fails the test on anything but 200 in the Prometheus text format.</summary>
    public string ScrapeText()
    {
        using var response = _http.GetAsync(_uri).GetAwaiter().GetResult();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {_uri}");
        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain; version=0.0.4"));
        return response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
    }

    /// <summary>Every sample of one scrape, keyed as written: <c>name</c> or <c>name{label="value"}</c>.</summary>
    public Dictionary<string, double> Scrape() => Parse(ScrapeText());

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds for a scrape (the server publishes its figures once a
    /// second), bounded; returns that scrape, or the last one if the bound passed first.
    /// </summary>
    public Dictionary<string, double> ScrapeUntil(Func<Dictionary<string, double>, bool> done, TimeSpan bound)
    {
        Dictionary<string, double> samples = [];
        Wait.TryUntil(() => done(samples = Scrape()), bound);
        return samples;
    }

    public static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            samples.Add(line[..space], double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        }

        return samples;
    }

    public void Dispose() => _http.Dispose();
}
