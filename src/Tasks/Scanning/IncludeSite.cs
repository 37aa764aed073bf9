using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    internal enum IncludeKind
    {
        /// <summary>#include (and #import): the first match is opened and read.</summary>
        Include,
        /// <summary>#include_next: a later match than the including file's; every match is taken.</summary>
        IncludeNext,
        /// <summary>__has_include(...) in #if/#elif: probed (a found file is opened), not read.</summary>
        HasInclude,
        /// <summary>__has_include_next(...).</summary>
        HasIncludeNext,
    }

    /// <summary>One place in a file that makes NVRTC look for a header.</summary>
    internal sealed class IncludeSite
    {
        public IncludeSite(IncludeKind kind, int line, HeaderName name)
        {
            Kind = kind;
            Line = line;
            Name = name;
        }

        public IncludeSite(IncludeKind kind, int line, IReadOnlyList<PpToken> tokens)
        {
            Kind = kind;
            Line = line;
            Tokens = tokens;
        }

        public IncludeKind Kind { get; }

        /// <summary>The conditional groups around the directive (null: none); set while the file is parsed.</summary>
        public ConditionalGuard? Guard { get; set; }

        /// <summary>1-based physical line of the directive.</summary>
        public int Line { get; }

        /// <summary>The name, when written literally.</summary>
        public HeaderName Name { get; }

        /// <summary>The operand's tokens for a computed include (<c>#include MACRO</c>); null otherwise.</summary>
        public IReadOnlyList<PpToken>? Tokens { get; }

        public bool IsComputed => Tokens != null;

        /// <summary>Identifies the site within its file (to unite the sites found under several lexical modes).</summary>
        public string Key => (int)Kind + ":" + Line + ":" + (Tokens == null ? Name.ToString() : string.Join(" ", Tokens));

        /// <summary>Whether the found file is read and scanned in turn (not so for __has_include).</summary>
        public bool ReadsFile => Kind == IncludeKind.Include || Kind == IncludeKind.IncludeNext;

        /// <summary>Whether every match is wanted, not just the first (the *_next forms: which match NVRTC
        /// takes depends on where the including file was found, and a superset is safe).</summary>
        public bool TakesEveryMatch => Kind == IncludeKind.IncludeNext || Kind == IncludeKind.HasIncludeNext;
    }
}
