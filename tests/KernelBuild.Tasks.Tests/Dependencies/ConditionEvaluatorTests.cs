using System.Text;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Tests.Dependencies;

/// <summary>#if arithmetic as C defines it for the preprocessor (intmax_t/uintmax_t), on already expanded tokens.</summary>
[TestClass]
public sealed class ConditionEvaluatorTests
{
    private static ConditionValue Evaluate(string line) => ConditionEvaluator.Evaluate(DirectiveParser.Tokenize(Encoding.UTF8.GetBytes(line)));

    [TestMethod]
    [DataRow("1", "True")]
    [DataRow("0", "False")]
    [DataRow("-1 < 0u", "False")]                 // -1 converts to uintmax_t
    [DataRow("-1 < 0", "True")]
    [DataRow("0xFFFFFFFFFFFFFFFF == -1", "True")] // too large for intmax_t: unsigned
    [DataRow("201703L >= 201103L && 1", "True")]
    [DataRow("1 ? 2 : (1 / 0)", "True")]          // the unevaluated side may divide by zero
    [DataRow("0 && 1 / 0", "False")]
    [DataRow("1 || 1 / 0", "True")]
    [DataRow("1 / 0", "Unknown")]                 // NVRTC reports an error: keep every branch
    [DataRow("(2 + 3) * 4 == 20 && 7 % 4 == 3 && (1 << 4) == 16 && (-16 >> 2) == -4", "True")]
    [DataRow("~0 == -1 && !0 && (5 & 3) == 1 && (5 | 3) == 7 && (5 ^ 3) == 6", "True")]
    [DataRow("'a' == 97 && '\\n' == 10", "True")]
    [DataRow("0b101 == 5 && 010 == 8 && 1'000 == 1000", "True")]
    [DataRow("undefined_name == 0 && !false && true", "True")]  // names left after expansion are 0
    [DataRow("1.5 > 1", "Unknown")]
    [DataRow("1 +", "Unknown")]
    [DataRow("(1", "Unknown")]
    [DataRow("1 1", "Unknown")]
    [DataRow("1 < = 2", "Unknown")]               // "< =" is no "<="
    public void IntegerSemantics(string line, string expected) => Assert.AreEqual(expected, Evaluate(line).ToString(), line);
}
