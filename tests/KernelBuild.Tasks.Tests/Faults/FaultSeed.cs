namespace KernelBuild.Tasks.Tests.Faults;

/// <summary>
/// The seed of a fault test's random moments: fresh each run, printed, and fixed by KB_FAULT_SEED=N to replay a
/// failure (the moments are then the same offsets; what the machine does within them may still differ).
/// </summary>
internal static class FaultSeed
{
    public static Random Create(string test)
    {
        string? fixedSeed = Environment.GetEnvironmentVariable("KB_FAULT_SEED");
        int seed = int.TryParse(fixedSeed, out int value) ? value : Random.Shared.Next();
        Console.WriteLine($"{test}: seed {seed} (replay with KB_FAULT_SEED={seed})");
        return new Random(seed);
    }

    /// <summary>Waits a short time precisely (Thread.Sleep may overshoot by a scheduler tick).</summary>
    public static void SpinFor(TimeSpan delay)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < delay) Thread.SpinWait(100);
    }
}
