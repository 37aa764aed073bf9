using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Output
{
    /// <summary>Finds kernel entry points (<c>.entry name(</c>) in PTX text.</summary>
    internal static class PtxEntryPoints
    {
        private static readonly Regex s_entry = new Regex(@"^\s*(?:\.visible\s+|\.weak\s+)?\.entry\s+(?<name>[A-Za-z_$%][\w$%]*)", RegexOptions.Multiline | RegexOptions.CultureInvariant);

        public static List<string> Find(string ptx) =>
            s_entry.Matches(ptx).Cast<Match>().Select(m => m.Groups["name"].Value).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
    }
}
