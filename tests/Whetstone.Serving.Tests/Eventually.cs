namespace Whetstone.Serving.Tests;

/// <summary>Bounded polling: a condition must hold within 10 s.</summary>
internal static class Eventually
{
    public static Task WaitAsync(Func<bool> condition) => WaitAsync(() => Task.FromResult(condition()));

    public static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(10);
        }
        Assert.Fail("condition not reached within 10 s");
    }
}
