using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>A #define (or -D): its parameters (null for an object-like macro) and its replacement list, as
    /// written; parameters are recognized by name when the macro is expanded.</summary>
    internal sealed class MacroDefinition
    {
        public MacroDefinition(string name, IReadOnlyList<string>? parameters, bool isVariadic, IReadOnlyList<PpToken> replacement)
        {
            Name = name;
            Parameters = parameters;
            IsVariadic = isVariadic;
            Replacement = replacement;
        }

        public string Name { get; }

        /// <summary>The parameter names of a function-like macro (the variadic one last: "__VA_ARGS__", or its
        /// GNU name for "args..."); null for an object-like macro.</summary>
        public IReadOnlyList<string>? Parameters { get; }

        public bool IsFunctionLike => Parameters != null;

        /// <summary>The last parameter takes the remaining arguments, commas included.</summary>
        public bool IsVariadic { get; }

        public IReadOnlyList<PpToken> Replacement { get; }

        /// <summary>The conditional groups around the #define (null: none, or the command line).</summary>
        public ConditionalGuard? Guard { get; set; }

        /// <summary>Equal for definitions that expand alike (spacing inside the body matters for &lt;...&gt;).</summary>
        public string Key => _key ??= MakeKey();

        private string? _key;

        private string MakeKey()
        {
            var text = new System.Text.StringBuilder(Name);
            if (Parameters != null)
                text.Append('(').Append(string.Join(",", Parameters)).Append(IsVariadic ? "...)" : ")");
            text.Append('=');
            for (int i = 0; i < Replacement.Count; i++)
                text.Append(i > 0 && Replacement[i].SpaceBefore ? " " : "\u0001").Append(Replacement[i].Text);
            return text.ToString();
        }

        /// <summary>The index of a parameter named <paramref name="text"/>, or -1.</summary>
        public int ParameterIndex(string text)
        {
            if (Parameters == null)
                return -1;
            for (int i = 0; i < Parameters.Count; i++)
            {
                if (Parameters[i] == text)
                    return i;
            }
            return -1;
        }
    }
}
