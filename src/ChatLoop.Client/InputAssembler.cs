using System.Text;

namespace ChatLoop.Client;

/// <summary>
/// Joins typed lines that end with a backslash into one multi-line message: <c>first \</c> then
/// <c>second</c> is the text <c>first\nsecond</c>. Pure; one per session.
/// </summary>
public sealed class InputAssembler
{
    private readonly StringBuilder _pending = new();

    /// <summary>True while lines are being held for a message that is not finished.</summary>
    public bool Continuing => _pending.Length > 0;

    /// <summary>Takes one typed line; true with the whole text when it ends the input, false while it continues.</summary>
    public bool TryComplete(string line, out string text)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmedEnd = line.TrimEnd();
        if (trimmedEnd.EndsWith('\\'))
        {
            // A held line may be empty (a paragraph break); MessageText.Normalize drops it before sending.
            _pending.Append(trimmedEnd, 0, trimmedEnd.Length - 1).Append('\n');
            text = "";
            return false;
        }

        if (_pending.Length == 0)
        {
            text = line;
            return true;
        }

        text = _pending.Append(line).ToString();
        _pending.Clear();
        return true;
    }
}
