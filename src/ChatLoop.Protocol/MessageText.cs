namespace ChatLoop.Protocol;

/// <summary>Makes text a person typed safe to send as a CHAT body.</summary>
public static class MessageText
{
    /// <summary>Put before a line that would otherwise read as the start of a request; not trimmed by the server.</summary>
    public const char Guard = '\u00A0';

    /// <summary>
    /// Line ends become LF; blank lines (which would end the message early) are dropped, and a line
    /// that would read as the start of another request gets a no-break space in front, so the server
    /// keeps it in the body. The first line is trimmed, as the server trims the MESSAGE value, so the
    /// result is exactly the body the room receives.
    /// </summary>
    public static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var kept = new List<string>(lines.Length);
        foreach (var line in lines)
        {
            bool first = kept.Count == 0;
            var candidate = first ? line.Trim(' ', '\t') : line;
            var bytes = System.Text.Encoding.UTF8.GetBytes(candidate);
            if (LineSyntax.IsBlank(bytes))
            {
                continue;
            }

            kept.Add(!first && LineSyntax.StartsRequest(bytes) ? Guard + candidate : candidate);
        }

        return string.Join('\n', kept);
    }
}
