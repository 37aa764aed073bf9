using System.Collections.Generic;
using System.Text;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Resolves <c>#include MACRO</c> (and <c>__has_include(MACRO)</c>) to every header name it can
    /// stand for, by expanding object-like macros with all their known definitions. Each macro may also
    /// be undefined at that point, so its unexpanded spelling is kept as an alternative too (it matters
    /// inside &lt;...&gt;, where "foo" in &lt;foo/x.h&gt; may or may not be a macro).
    /// Gives up, so that the caller marks the scan incomplete, on what cannot be decided statically:
    /// a function-like macro, token pasting, an identifier with no definition the scan has seen (it may
    /// be one of NVRTC's predefined macros), or too many combinations.
    /// </summary>
    internal static class ComputedIncludeResolver
    {
        private const int MaxAlternatives = 256;
        private const int MaxDepth = 64;

        public static bool TryResolve(IReadOnlyList<PpToken> tokens, MacroTable macros,
            out List<HeaderName> names, out string failure)
        {
            names = new List<HeaderName>();
            failure = "";
            var hidden = new List<string>();
            List<List<PpToken>>? alternatives = Expand(tokens, macros, hidden, 0, ref failure);
            if (alternatives == null)
                return false;

            var seen = new HashSet<string>();
            foreach (List<PpToken> alternative in alternatives)
            {
                if (!TryFormName(alternative, macros, names, seen, ref failure))
                    return false;
            }
            if (names.Count == 0)
            {
                failure = "it does not expand to a \"name\" or <name> with the macro definitions the scan has seen";
                return false;
            }
            return true;
        }

        private static List<List<PpToken>>? Expand(IReadOnlyList<PpToken> tokens, MacroTable macros,
            List<string> hidden, int depth, ref string failure)
        {
            if (depth > MaxDepth)
            {
                failure = "macro expansion nests too deeply";
                return null;
            }
            var results = new List<List<PpToken>> { new List<PpToken>() };
            foreach (PpToken token in tokens)
            {
                if (token.Kind == PpTokenKind.MacroParameter)
                {
                    failure = "it depends on the argument of a macro parameter ('" + token.Text + "')";
                    return null;
                }
                if (token.Kind == PpTokenKind.Punctuator && token.Text == "##")
                {
                    failure = "it uses token pasting (##)";
                    return null;
                }
                IReadOnlyList<MacroDefinition>? definitions =
                    token.Kind == PpTokenKind.Identifier && !hidden.Contains(token.Text) ? macros.Get(token.Text) : null;
                if (definitions == null)
                {
                    foreach (List<PpToken> result in results)
                        result.Add(token);
                    continue;
                }

                var choices = new List<List<PpToken>> { new List<PpToken> { token } };
                hidden.Add(token.Text);
                foreach (MacroDefinition definition in definitions)
                {
                    if (definition.IsFunctionLike)
                    {
                        failure = "'" + token.Text + "' is a function-like macro";
                        return null;
                    }
                    var body = new List<PpToken>(definition.Replacement);
                    if (body.Count > 0)
                        body[0] = body[0].WithSpaceBefore(token.SpaceBefore);
                    List<List<PpToken>>? expanded = Expand(body, macros, hidden, depth + 1, ref failure);
                    if (expanded == null)
                        return null;
                    choices.AddRange(expanded);
                }
                hidden.RemoveAt(hidden.Count - 1);

                if ((long)results.Count * choices.Count > MaxAlternatives)
                {
                    failure = "its macros have too many possible expansions";
                    return null;
                }
                var product = new List<List<PpToken>>(results.Count * choices.Count);
                foreach (List<PpToken> result in results)
                {
                    foreach (List<PpToken> choice in choices)
                    {
                        var combined = new List<PpToken>(result);
                        combined.AddRange(choice);
                        product.Add(combined);
                    }
                }
                results = product;
            }
            return results;
        }

        /// <summary>"name" from a plain string literal, or &lt;name&gt; from the tokens between '&lt;' and the
        /// first '&gt;' (GCC's rule: whitespace becomes one space; EDG's may differ, so the spelling without
        /// spaces is taken as well). Anything else is malformed: NVRTC reports an error and opens nothing,
        /// unless it holds an identifier the scan knows no definition of.</summary>
        private static bool TryFormName(List<PpToken> tokens, MacroTable macros, List<HeaderName> names,
            HashSet<string> seen, ref string failure)
        {
            if (tokens.Count > 0 && tokens[0].Kind == PpTokenKind.String && tokens[0].Text.Length >= 2 && tokens[0].Text[0] == '"')
            {
                string text = tokens[0].Text;
                Add(new HeaderName(text.Substring(1, text.Length - 2), false), names, seen);
                return true;
            }
            if (tokens.Count > 0 && tokens[0].Kind == PpTokenKind.Punctuator && tokens[0].Text == "<")
            {
                var spaced = new StringBuilder();
                var compact = new StringBuilder();
                for (int i = 1; i < tokens.Count; i++)
                {
                    if (tokens[i].Kind == PpTokenKind.Punctuator && tokens[i].Text == ">")
                    {
                        Add(new HeaderName(spaced.ToString(), true), names, seen);
                        Add(new HeaderName(compact.ToString(), true), names, seen);
                        return true;
                    }
                    if (tokens[i].SpaceBefore)
                        spaced.Append(' ');
                    spaced.Append(tokens[i].Text);
                    compact.Append(tokens[i].Text);
                }
            }
            foreach (PpToken token in tokens)
            {
                if (token.Kind == PpTokenKind.Identifier && macros.Get(token.Text) == null)
                {
                    failure = "'" + token.Text + "' has no definition the scan has seen (it may be predefined by NVRTC)";
                    return false;
                }
            }
            return true;
        }

        private static void Add(HeaderName name, List<HeaderName> names, HashSet<string> seen)
        {
            if (name.Text.Length > 0 && seen.Add(name.ToString()))
                names.Add(name);
        }
    }
}
