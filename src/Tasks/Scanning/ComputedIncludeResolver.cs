using System;
using System.Collections.Generic;
using System.Text;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Resolves <c>#include MACRO</c>, <c>#include XSTR(NAME)</c> (and <c>__has_include(...)</c> operands) to every
    /// header name it can stand for. The macro table holds every definition met anywhere in the scan, and
    /// which one is in force at the directive depends on flow the scan does not follow, so the line is
    /// expanded (<see cref="MacroExpander"/>) once per consistent choice of definitions, each macro also
    /// possibly undefined. Only choices that can change the name are tried: a macro that would be the
    /// first token of the operand, left undefined, makes the directive an error (NVRTC opens nothing), and
    /// once the operand starts with a complete "name" or &lt;name&gt; the rest cannot change it. An undefined
    /// macro inside &lt;...&gt; is kept as spelled ("foo" in &lt;foo/x.h&gt;).
    /// Gives up, so that the caller marks the scan incomplete, on what cannot be decided statically: an
    /// identifier with no definition the scan has seen where the name needs one (it may be predefined
    /// by NVRTC), __COUNTER__, a macro parameter in the operand, or too many combinations.
    /// </summary>
    internal static class ComputedIncludeResolver
    {
        private const int MaxRuns = 512;

        private static readonly MacroDefinition s_vaOpt = new MacroDefinition("__VA_OPT__", null, false, new PpToken[0]);

        public static bool TryResolve(IReadOnlyList<PpToken> tokens, MacroTable macros, PredefinedMacros predefined, string file, int line,
            out List<HeaderName> names, out string failure) =>
            TryResolve(tokens, name => AnywhereInScan(macros, predefined, name), file, line, out names, out failure);

        /// <summary>Every definition met anywhere in the scan, or undefined; a name with none is NVRTC's.</summary>
        private static MacroValues AnywhereInScan(MacroTable macros, PredefinedMacros predefined, string name)
        {
            IReadOnlyList<MacroDefinition>? definitions = macros.Get(name);
            if (definitions != null)
                return MacroValues.Among(definitions, mayBeUndefined: true);
            PredefinedState known = predefined.Lookup(name, out MacroDefinition? builtin);
            if (known == PredefinedState.Unknown || known == PredefinedState.DefinedWithUnknownValue)
                return MacroValues.Anything;
            return builtin != null ? MacroValues.Of(builtin) : MacroValues.Undefined;
        }

        /// <param name="valuesOf">What each macro may be at the directive (the flow-sensitive walk knows it there).</param>
        public static bool TryResolve(IReadOnlyList<PpToken> tokens, Func<string, MacroValues> valuesOf, string file, int line,
            out List<HeaderName> names, out string failure)
        {
            names = new List<HeaderName>();
            failure = "";
            foreach (PpToken token in tokens)
            {
                if (token.Kind == PpTokenKind.MacroParameter)
                {
                    failure = "it depends on the argument of a macro parameter ('" + token.Text + "')";
                    return false;
                }
            }

            var seen = new HashSet<string>();
            var states = new Stack<Dictionary<string, MacroDefinition?>>();
            states.Push(new Dictionary<string, MacroDefinition?>(StringComparer.Ordinal));
            for (int runs = 0; states.Count > 0; runs++)
            {
                if (runs == MaxRuns)
                {
                    failure = "its macros have too many possible expansions";
                    return false;
                }
                Dictionary<string, MacroDefinition?> state = states.Pop();
                List<ExpToken> output;
                try
                {
                    output = new MacroExpander((name, topLevel, soFar) => Choose(valuesOf, state, name, topLevel, soFar), file, line)
                        .ExpandLine(tokens, IsDecided);
                }
                catch (ChoiceException choice)
                {
                    foreach (MacroDefinition? option in choice.Options)
                        states.Push(new Dictionary<string, MacroDefinition?>(state, StringComparer.Ordinal) { [choice.Name] = option });
                    continue;
                }
                catch (MacroExpander.MalformedException)
                {
                    continue;
                }
                catch (MacroExpander.UnknowableException unknowable)
                {
                    failure = unknowable.Message;
                    return false;
                }
                if (!TryFormName(output, names, seen, ref failure))
                    return false;
            }
            if (names.Count == 0)
            {
                failure = "it does not expand to a \"name\" or <name> with the macro definitions the scan has seen";
                return false;
            }
            return true;
        }

        /// <summary>The definition of <paramref name="name"/> in this run; where several could be in force and
        /// the choice can change the name, the run stops and one run per option follows.</summary>
        private static MacroDefinition? Choose(Func<string, MacroValues> valuesOf, Dictionary<string, MacroDefinition?> state,
            string name, bool topLevel, List<ExpToken> output)
        {
            if (state.TryGetValue(name, out MacroDefinition? chosen))
                return chosen;
            if (name == MacroExpander.VaOptChoice)
                throw new ChoiceException(name, new List<MacroDefinition?> { s_vaOpt, null }); // NVRTC 12 may have C++20
            MacroValues values = valuesOf(name);
            // Left as spelled, a name NVRTC may define would put the wrong name into the header name.
            if (values.MayBeUnknown)
                throw new MacroExpander.UnknowableException("'" + name + "' has no definition the scan has seen, and it may be predefined by NVRTC");
            var options = new List<MacroDefinition?>(values.Definitions);
            if (values.MayBeUndefined && (options.Count == 0 || !topLevel || output.Count > 0))
                options.Add(null);
            if (options.Count == 1)
            {
                state[name] = options[0];
                return options[0];
            }
            throw new ChoiceException(name, options);
        }

        /// <summary>The operand so far already fixes the outcome: it starts with anything but an open '&lt;'.</summary>
        private static bool IsDecided(List<ExpToken> output)
        {
            if (output.Count == 0)
                return false;
            if (output[0].Token.Kind != PpTokenKind.Punctuator || output[0].Token.Text != "<")
                return true;
            for (int i = 1; i < output.Count; i++)
            {
                if (output[i].Token.Kind == PpTokenKind.Punctuator && output[i].Token.Text == ">")
                    return true;
            }
            return false;
        }

        private sealed class ChoiceException : Exception
        {
            public ChoiceException(string name, List<MacroDefinition?> options)
            {
                Name = name;
                Options = options;
            }

            public string Name { get; }
            public List<MacroDefinition?> Options { get; }
        }

        /// <summary>"name" from a plain string literal, or &lt;name&gt; from the tokens between '&lt;' and the
        /// first '&gt;' (GCC's rule: whitespace becomes one space; EDG's may differ, so the spelling without
        /// spaces is taken as well).</summary>
        private static bool TryFormName(List<ExpToken> expanded, List<HeaderName> names,
            HashSet<string> seen, ref string failure)
        {
            List<PpToken> tokens = expanded.ConvertAll(token => token.Token);
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
            // Malformed: NVRTC reports an error and opens nothing (a name it may define was dealt with in Choose).
            return true;
        }

        private static void Add(HeaderName name, List<HeaderName> names, HashSet<string> seen)
        {
            if (name.Text.Length > 0 && seen.Add(name.ToString()))
                names.Add(name);
        }
    }
}
