// Property test of the declaration search: DeclarationFinder.NameThenParenthesis finds exactly what the pattern
// \bNAME\s*\( finds, which is what it replaced (a Regex built per kernel name). Regex is the oracle here.
// Cases: see PropertyRuns (KERNELBUILD_PROPERTY_ITERATIONS for a long run); a failure prints the shrunk case and its seed.
using System.Text.RegularExpressions;
using CsCheck;
using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Tests.Properties;

[TestClass]
public sealed class DeclarationSearchPropertyTests
{
    private static readonly string[] s_names = ["go", "scale", "k_1", "_x", "é", "Go"];

    // The names themselves and their pieces, word and non-word neighbours (Unicode letters, digits, a combining mark,
    // the zero-width joiner, a connector), white space of several kinds, and the parenthesis.
    private static readonly string[] s_pieces =
    [
        "go", "scale", "k_1", "_x", "é", "Go", "g", "o", "sc", "ale", "k", "_", "1", "x", "a", "中", "\u0301", "\u200D", "\u203F",
        " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u2003", "(", ")", "((", "*", ";", "{", "}", ".", "::", "<", ">", "\"", "/",
    ];

    [TestMethod]
    public void FindsWhatTheWordBoundaryPatternFinds()
    {
        Gen.Select(Gen.OneOf(s_pieces).Array[0, 30].Select(string.Concat), Gen.OneOf(s_names)).Sample((source, name) =>
        {
            var expected = Regex.Matches(source, @"\b" + Regex.Escape(name) + @"\s*\(", RegexOptions.CultureInvariant)
                .Select(m => (m.Index, m.Index + m.Length - 1)).ToArray();

            var found = DeclarationFinder.NameThenParenthesis(source, name).ToArray();

            CollectionAssert.AreEqual(expected, found, "name '" + name + "' in \"" + source + "\"");
        }, iter: PropertyRuns.Iterations(5000), threads: 1);
    }
}
