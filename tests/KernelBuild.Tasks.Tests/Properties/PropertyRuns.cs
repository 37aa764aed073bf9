namespace KernelBuild.Tasks.Tests.Properties;

/// <summary>
/// How many cases each property tries. The default keeps the suite fast; set KERNELBUILD_PROPERTY_ITERATIONS for a
/// long run (e.g. 100000 overnight). A failing property prints its shrunk case and seed; replay it with the seed
/// argument of CsCheck's Sample.
/// </summary>
internal static class PropertyRuns
{
    public const string IterationsVariable = "KERNELBUILD_PROPERTY_ITERATIONS";

    /// <summary><paramref name="defaultCount"/> unless the environment asks for another count.</summary>
    public static long Iterations(long defaultCount) =>
        long.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), out long count) && count > 0 ? count : defaultCount;

    /// <summary>The long-run count scaled down for properties whose one case costs much more than the others'.</summary>
    public static long Scaled(long defaultCount, int divisor) =>
        Environment.GetEnvironmentVariable(IterationsVariable) is null ? defaultCount : Math.Max(defaultCount, Iterations(defaultCount) / divisor);
}
