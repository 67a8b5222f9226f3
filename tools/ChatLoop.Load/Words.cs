using System.Globalization;

namespace ChatLoop.Load;

/// <summary>Counts in words for people: "1 room", "2 rooms", "1,000 clients".</summary>
internal static class Words
{
    public static string Count(long n, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n:N0} {(n == 1 ? one : many ?? one + "s")}");
}
