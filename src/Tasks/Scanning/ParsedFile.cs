using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// What one file contributes to a scan, independent of who includes it: its hash, the places that
    /// look for headers, the macros it defines and the facts about __has_include wrappers
    /// (<see cref="HasIncludeWrapper"/>), all outside literal <c>#if 0</c> groups. Because it
    /// depends on the bytes alone it can be cached per file and shared by every kernel.
    /// </summary>
    internal sealed class ParsedFile
    {
        public ParsedFile(string sha256, IReadOnlyList<IncludeSite> sites, IReadOnlyList<MacroDefinition> macros,
            IReadOnlyList<HasIncludeWrapper> wrappers, IReadOnlyList<MacroForward> forwards, IReadOnlyList<MacroCall> calls,
            IReadOnlyCollection<string> touchedMacros)
        {
            Sha256 = sha256;
            Sites = sites;
            Macros = macros;
            Wrappers = wrappers;
            Forwards = forwards;
            Calls = calls;
            TouchedMacros = touchedMacros;
        }

        public string Sha256 { get; }
        public IReadOnlyList<IncludeSite> Sites { get; }
        public IReadOnlyList<MacroDefinition> Macros { get; }
        public IReadOnlyList<HasIncludeWrapper> Wrappers { get; }
        public IReadOnlyList<MacroForward> Forwards { get; }
        public IReadOnlyList<MacroCall> Calls { get; }

        /// <summary>Every name the file #defines or #undefs anywhere outside literal #if 0 groups: its
        /// state depends on where a condition sits relative to these, so conditions on it are not certain.</summary>
        public IReadOnlyCollection<string> TouchedMacros { get; }

        /// <summary>Every directive in the file's order (conditionals even inside literal #if 0 groups, so that
        /// blocks nest), for the flow-sensitive walk.</summary>
        public IReadOnlyList<FlowDirective> Flow { get; set; } = new FlowDirective[0];

        /// <summary>Every lexical dialect sees the same directives (see DirectiveParser.Parse): only then does the
        /// file have one order to follow.</summary>
        public bool FlowAgrees { get; set; } = true;

        /// <summary>The include guard's name when the whole file is one "#ifndef G / #define G ... #endif".</summary>
        public string? GuardMacro { get; set; }
    }
}
