using System.Diagnostics;

namespace ChatLoop.Tests.Support;

/// <summary>The bounds every wait in the tests uses, and the one retry-until-a-deadline loop.</summary>
public static class Wait
{
    /// <summary>How long a test waits for something the server must do; long enough for a loaded CI machine.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    /// <summary>How long a test listens for something that must not happen (used only where nothing else can show it).</summary>
    public static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    /// <summary>The pause between tries of a condition that is polled (one whose change raises no event the test can wait on).</summary>
    public static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Tries <paramref name="done"/> until it holds, at least once, pausing <paramref name="pace"/> (default
    /// <see cref="Pace"/>; zero when each try waits by itself) between tries; fails the test with
    /// <paramref name="what"/> once <paramref name="within"/> (default <see cref="Long"/>) has passed.
    /// </summary>
    public static void Until(Func<bool> done, string what, TimeSpan? within = null, TimeSpan? pace = null)
    {
        if (!TryUntil(done, within ?? Long, pace))
        {
            Assert.Fail($"{what} (waited {(within ?? Long).TotalSeconds:0.###} s)");
        }
    }

    /// <summary>As <see cref="Until(Func{bool}, string, TimeSpan?, TimeSpan?)"/>, with a message made when it fails (it shows what was seen by then).</summary>
    public static void Until(Func<bool> done, Func<string> what, TimeSpan? within = null, TimeSpan? pace = null)
    {
        if (!TryUntil(done, within ?? Long, pace))
        {
            Assert.Fail($"{what()} (waited {(within ?? Long).TotalSeconds:0.###} s)");
        }
    }

    /// <summary>As <see cref="Until(Func{bool}, string, TimeSpan?, TimeSpan?)"/>, but false, not a failure, when <paramref name="within"/> passes first.</summary>
    public static bool TryUntil(Func<bool> done, TimeSpan within, TimeSpan? pace = null)
    {
        long start = Stopwatch.GetTimestamp();
        while (!done())
        {
            if (Stopwatch.GetElapsedTime(start) >= within)
            {
                return false;
            }

            if ((pace ?? Pace) > TimeSpan.Zero)
            {
                Thread.Sleep(pace ?? Pace);  // poll pacing; bounded by within
            }
        }

        return true;
    }
}
