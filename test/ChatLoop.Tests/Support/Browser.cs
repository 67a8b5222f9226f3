using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ChatLoop.Tests.Support;

/// <summary>
/// One headless Chromium (Debian's chromium, driven through its chromedriver) showing the chat page, with
/// what a person does on it (pick a name, join, type, leave) and what they see (lines, status, errors).
/// Every wait is bounded and watches the page for the awaited text. Disposing it quits the browser.
/// </summary>
public sealed class Browser : IDisposable
{
    /// <summary>A browser on a shared 2-core machine is slow to start and to render: a wider bound than a socket's.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly ChromeDriver _driver;

    public Browser(string url, string label)
    {
        Label = label;
        var chromium = ExternalTool.Require("chromium", "apt-get install chromium chromium-driver");
        var driver = ExternalTool.Require("chromedriver", "apt-get install chromium-driver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--window-size=1000,860", "--lang=en-GB");
        _driver = new ChromeDriver(service, options, Bound);
        try
        {
            _driver.Navigate().GoToUrl(url);
            WaitFor("the page to connect", () => Status.StartsWith("Connected", StringComparison.Ordinal));
        }
        catch
        {
            // No using statement holds this browser yet: quit it here, or chromium and chromedriver outlive the test.
            Dispose();
            throw;
        }
    }

    public string Label { get; }

    public string Status => _driver.FindElement(By.Id("status")).Text;

    /// <summary>The error banner's words ("" when none is shown).</summary>
    public string Error => _driver.FindElement(By.Id("error")).Text;

    public IReadOnlyList<string> Events => Texts("#events li");

    /// <summary>Joins a room; the name field is used while this connection has no name yet.</summary>
    public void Join(string room, string? name = null)
    {
        if (name is not null)
        {
            var field = _driver.FindElement(By.Id("name"));
            field.Clear();
            field.SendKeys(name);
        }

        _driver.FindElement(By.Id("room")).SendKeys(room + Keys.Enter);
    }

    /// <summary>Waits until the room's panel is there with the server's ref; returns the ref.</summary>
    public string WaitForRoom(string room)
    {
        string refText = "";
        WaitFor($"room '{room}' to be joined", () => (refText = Script<string>(
            "const p = [...document.querySelectorAll('.panel')].find(p => p.dataset.room === arguments[0]); return p && p.dataset.ref || '';", room)) != "");
        return refText;
    }

    /// <summary>Types a message as a person does: Shift+Enter between lines, Enter to send.</summary>
    public void Say(string room, string message)
    {
        var box = Panel(room).FindElement(By.CssSelector("textarea"));
        box.SendKeys(string.Join(Keys.Shift + Keys.Enter + Keys.Null, message.Split('\n')) + Keys.Enter);
    }

    /// <summary>Shows the room's panel, as clicking its tab does.</summary>
    public void Select(string room) => _driver.FindElements(By.CssSelector(".tab")).First(t => t.GetDomAttribute("data-room") == room).Click();

    /// <summary>The tabs' labels, in order (a room with unread messages shows their count).</summary>
    public IReadOnlyList<string> Tabs => Texts(".tab");

    /// <summary>What is typed in the room's message box and not sent.</summary>
    public string Draft(string room) => Script<string>(
        "return [...document.querySelectorAll('.panel')].find(p => p.dataset.room === arguments[0]).querySelector('textarea').value;", room);

    public void Leave(string room) => Panel(room).FindElement(By.CssSelector("button.leave")).Click();

    public void Disconnect() => _driver.FindElement(By.Id("disconnect")).Click();

    /// <summary>The room's lines as "kind|sender|text" (kind: chat, joined, left, system), in the order shown.</summary>
    public IReadOnlyList<string> Lines(string room) => Script<IReadOnlyCollection<object>>(
        "const p = [...document.querySelectorAll('.panel')].find(p => p.dataset.room === arguments[0]);" +
        "return p ? [...p.querySelectorAll('.line')].map(l => `${l.dataset.kind}|${l.dataset.sender || ''}|${l.querySelector('.text').textContent}`) : [];", room)
        .Select(o => (string)o).ToList();

    /// <summary>The lines this page marks as its own.</summary>
    public IReadOnlyList<string> OwnLines(string room) => Script<IReadOnlyCollection<object>>(
        "const p = [...document.querySelectorAll('.panel')].find(p => p.dataset.room === arguments[0]);" +
        "return [...p.querySelectorAll('.line.own .text')].map(t => t.textContent);", room).Select(o => (string)o).ToList();

    /// <summary>The room's member list as the page shows it.</summary>
    public IReadOnlyList<string> Members(string room) => Script<IReadOnlyCollection<object>>(
        "const p = [...document.querySelectorAll('.panel')].find(p => p.dataset.room === arguments[0]);" +
        "return [...p.querySelectorAll('.members li')].map(l => l.textContent);", room).Select(o => (string)o).ToList();

    /// <summary>Waits until the room shows at least <paramref name="count"/> lines; returns them all.</summary>
    public IReadOnlyList<string> WaitForLines(string room, int count)
    {
        IReadOnlyList<string> lines = [];
        WaitFor($"{count} lines in '{room}'", () => (lines = Lines(room)).Count >= count, () => string.Join(" / ", lines));
        return lines;
    }

    /// <summary>Waits until the connection log has a line containing <paramref name="text"/>.</summary>
    public void WaitForEvent(string text) =>
        WaitFor($"a connection event with \"{text}\"", () => Events.Any(e => e.Contains(text, StringComparison.Ordinal)), () => string.Join(" / ", Events));

    public void WaitFor(string what, Func<bool> condition, Func<string>? shown = null)
    {
        var wait = new DefaultWait<IWebDriver>(_driver) { Timeout = Bound, PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        try
        {
            wait.Until(_ => condition());
        }
        catch (WebDriverTimeoutException)
        {
            Screenshot($"timeout-{Label}");
            Assert.Fail($"{Label}: waited {Bound.TotalSeconds} s for {what}; status \"{Status}\"; shown: {shown?.Invoke() ?? string.Join(" / ", Events)}");
        }
    }

    /// <summary>Saves a PNG of the page under the test's work directory, attaches it to the test result, and returns its path.</summary>
    public string Screenshot(string name)
    {
        var dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{TestContext.CurrentContext.Test.Name}-{name}.png");
        _driver.GetScreenshot().SaveAsFile(path);
        TestContext.AddTestAttachment(path);
        return path;
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
    }

    private IWebElement Panel(string room) =>
        _driver.FindElements(By.CssSelector(".panel")).First(p => p.GetDomAttribute("data-room") == room);

    private T Script<T>(string script, params object[] args) => (T)_driver.ExecuteScript(script, args)!;

    private IReadOnlyList<string> Texts(string css) => _driver.FindElements(By.CssSelector(css)).Select(e => e.Text).ToList();
}
