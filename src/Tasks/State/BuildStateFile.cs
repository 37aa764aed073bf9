using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// Reads and writes <c>KernelBuild.state</c>: tab-separated lines, paths last (so they may hold spaces), closed by
    /// a checksum line. Anything unexpected (missing, truncated, edited, other version) reads as "no state", which
    /// means every kernel is rebuilt: a damaged state can cost time, never correctness. Format: docs/formats.md.
    /// </summary>
    internal static class BuildStateFile
    {
        public const string FileName = "KernelBuild.state";
        private const string Header = "KernelBuild state 2";

        public static BuildState? TryRead(string path, out string? problem)
        {
            problem = null;
            string text;
            try
            {
                if (!File.Exists(path))
                {
                    problem = "no state file";
                    return null;
                }
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                problem = "state file unreadable: " + e.Message;
                return null;
            }

            // Parse is total: whatever the bytes, it returns a state or null (the property tests feed it noise).
            BuildState? state = Parse(text);
            if (state == null) problem = "state file damaged or of another version";
            return state;
        }

        public static void Write(string path, BuildState state) =>
            AtomicFile.WriteIfChanged(path, Encoding.UTF8.GetBytes(Serialize(state)));

        /// <exception cref="UnrepresentablePathException">A value the format cannot hold: a line break anywhere, or a tab in a
        /// field that is not the last on its line (only paths, names and entry points come last).</exception>
        public static string Serialize(BuildState state)
        {
            var text = new StringBuilder();
            text.Append(Header).Append('\n');
            if (state.Compiler != null)
            {
                text.Append("compiler\t").Append(Field(state.Compiler.Identity)).Append('\t')
                    .Append(string.Join(",", state.Compiler.SupportedArchitectures.Select(a => a.ToString(CultureInfo.InvariantCulture))))
                    .Append('\t').Append(Last(state.Compiler.Name)).Append('\n');
                foreach (string file in state.Compiler.Files) text.Append("compilerfile\t").Append(Last(file)).Append('\n');
            }
            if (state.Manifest != null)
            {
                text.Append("manifest\t").Append(state.Manifest.Stamp.Serialize()).Append('\t').Append(Field(state.Manifest.Sha256))
                    .Append('\t').Append(Last(state.Manifest.RelativePath)).Append('\n');
            }
            if (state.SignatureIndex != null)
            {
                text.Append("signatureindex\t").Append(state.SignatureIndex.Stamp.Serialize()).Append('\t').Append(Field(state.SignatureIndex.Sha256))
                    .Append('\t').Append(Last(state.SignatureIndex.RelativePath)).Append('\n');
            }

            // Files and probes are listed once and referred to by their position: many kernels share them.
            var fileIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (TrackedFile file in state.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                fileIndex[file.Path] = fileIndex.Count;
                text.Append("file\t").Append(file.Stamp.Serialize()).Append('\t').Append(Field(file.Sha256)).Append('\t').Append(Last(file.Path)).Append('\n');
            }
            var probeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string probe in state.Kernels.Values.SelectMany(k => k.AbsentProbes).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal))
            {
                probeIndex[probe] = probeIndex.Count;
                text.Append("probe\t").Append(Last(probe)).Append('\n');
            }

            foreach (KernelRecord kernel in state.Kernels.Values.OrderBy(k => k.RelativePath, StringComparer.Ordinal))
            {
                text.Append("kernel\t").Append(Field(kernel.Fingerprint)).Append('\t').Append(kernel.Complete ? '1' : '0').Append('\t').Append(Last(kernel.RelativePath)).Append('\n');
                foreach (string entry in kernel.EntryPoints) text.Append("entry\t").Append(Last(entry)).Append('\n');
                foreach (RecordedWarning warning in kernel.Warnings)
                {
                    text.Append("warning\t").Append(warning.Line.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(OneField(warning.Code))
                        .Append('\t').Append(OneField(warning.File)).Append('\t').Append(OneField(warning.Message)).Append('\n');
                }
                foreach (OutputRecord output in kernel.Outputs)
                {
                    text.Append("output\t").Append(Field(output.Architecture)).Append('\t').Append(output.Kind.ToText()).Append('\t')
                        .Append(output.Stamp.Serialize()).Append('\t').Append(Field(output.Sha256)).Append('\t').Append(Last(output.RelativePath)).Append('\n');
                }
                text.Append("deps\t").Append(string.Join(" ", kernel.Dependencies.Select(d => fileIndex[d].ToString(CultureInfo.InvariantCulture)))).Append('\n');
                text.Append("absent\t").Append(string.Join(" ", kernel.AbsentProbes.Select(p => probeIndex[p].ToString(CultureInfo.InvariantCulture)))).Append('\n');
            }
            string body = text.ToString();
            return body + "end\t" + FastHash.Of(body) + "\n";
        }

        /// <summary>A value that the next tab ends: it may hold neither a tab nor a line break.</summary>
        private static string Field(string value)
        {
            if (value.IndexOfAny(s_fieldEnds) >= 0)
                throw new UnrepresentablePathException("The value " + UnrepresentablePathException.Quote(value) + " cannot be written to the state file: it contains a tab or line break.");
            return value;
        }

        /// <summary>The last value on its line (a path, a name): it may hold tabs, not a line break.</summary>
        private static string Last(string value)
        {
            if (value.IndexOf('\n') >= 0)
                throw new UnrepresentablePathException("The path " + UnrepresentablePathException.Quote(value) + " cannot be written to the state file: it contains a line break.");
            return value;
        }

        private static readonly char[] s_fieldEnds = { '\t', '\n' };

        /// <summary>The state in <paramref name="text"/>, or null when it is not a whole, unedited state of this version.</summary>
        internal static BuildState? Parse(string text)
        {
            // The last line is "end\t" + 32 hex digits + "\n"; string comparisons here are ordinal and by position
            // (culture-aware or searching overloads cost tens of milliseconds on their first call in a process).
            const int checksumLength = 32;
            int endAt = text.Length - (4 + checksumLength + 1);
            if (endAt < Header.Length + 1
                || string.CompareOrdinal(text, 0, Header + "\n", 0, Header.Length + 1) != 0
                || string.CompareOrdinal(text, endAt, "end\t", 0, 4) != 0
                || text[text.Length - 1] != '\n')
            {
                return null;
            }
            if (string.CompareOrdinal(text, endAt + 4, FastHash.Of(text, endAt), 0, checksumLength) != 0)
            {
                return null; // truncated or edited
            }

            var state = new BuildState();
            var files = new List<string>();
            var probes = new List<string>();
            KernelRecord? kernel = null;
            int lineStart = Header.Length + 1;
            while (lineStart < endAt)
            {
                int lineEnd = text.IndexOf('\n', lineStart);
                if (lineEnd < 0 || lineEnd >= endAt) return null;
                string line = text.Substring(lineStart, lineEnd - lineStart);
                lineStart = lineEnd + 1;
                int tab = line.IndexOf('\t');
                string kind = tab < 0 ? line : line.Substring(0, tab);
                string rest = tab < 0 ? "" : line.Substring(tab + 1);
                switch (kind)
                {
                    case "compiler":
                        string[] c = rest.Split(new[] { '\t' }, 3);
                        if (c.Length < 3) return null;
                        var compiler = new CompilerRecord { Identity = c[0], Name = c[2] };
                        foreach (string architecture in c[1].Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
                        {
                            if (!int.TryParse(architecture, NumberStyles.None, CultureInfo.InvariantCulture, out int number)) return null;
                            compiler.SupportedArchitectures.Add(number);
                        }
                        state.Compiler = compiler;
                        break;
                    case "compilerfile" when state.Compiler != null:
                        state.Compiler.Files.Add(rest);
                        break;
                    case "file":
                        string[] f = rest.Split(new[] { '\t' }, 6);
                        if (f.Length < 6 || !FileStamp.TryParse(f, 0, out FileStamp stamp)) return null;
                        state.Files[f[5]] = new TrackedFile(f[5], stamp, f[4]);
                        files.Add(f[5]);
                        break;
                    case "manifest":
                        string[] m = rest.Split(new[] { '\t' }, 6);
                        if (m.Length < 6 || !FileStamp.TryParse(m, 0, out FileStamp manifestStamp)) return null;
                        state.Manifest = new OutputRecord { Kind = OutputKind.Manifest, Stamp = manifestStamp, Sha256 = m[4], RelativePath = m[5] };
                        break;
                    case "signatureindex":
                        string[] x = rest.Split(new[] { '\t' }, 6);
                        if (x.Length < 6 || !FileStamp.TryParse(x, 0, out FileStamp indexStamp)) return null;
                        state.SignatureIndex = new OutputRecord { Kind = OutputKind.SignatureIndex, Stamp = indexStamp, Sha256 = x[4], RelativePath = x[5] };
                        break;
                    case "probe":
                        probes.Add(rest);
                        break;
                    case "kernel":
                        string[] k = rest.Split(new[] { '\t' }, 3);
                        if (k.Length < 3) return null;
                        kernel = new KernelRecord { Fingerprint = k[0], Complete = k[1] == "1", RelativePath = k[2] };
                        state.Kernels[kernel.RelativePath] = kernel;
                        break;
                    case "warning" when kernel != null:
                        string[] w = rest.Split(new[] { '\t' }, 4);
                        if (w.Length < 4 || !int.TryParse(w[0], NumberStyles.None, CultureInfo.InvariantCulture, out int warningLine)) return null;
                        kernel.Warnings.Add(new RecordedWarning(w[1], w[2], warningLine, w[3]));
                        break;
                    case "entry" when kernel != null:
                        kernel.EntryPoints.Add(rest);
                        break;
                    case "output" when kernel != null:
                        string[] o = rest.Split(new[] { '\t' }, 8);
                        if (o.Length < 8 || !OutputKinds.TryParse(o[1], out OutputKind outputKind) || !FileStamp.TryParse(o, 2, out FileStamp outputStamp)) return null;
                        kernel.Outputs.Add(new OutputRecord { Architecture = o[0], Kind = outputKind, Stamp = outputStamp, Sha256 = o[6], RelativePath = o[7] });
                        break;
                    case "deps" when kernel != null:
                        if (!AddByIndex(rest, files, kernel.Dependencies)) return null;
                        break;
                    case "absent" when kernel != null:
                        if (!AddByIndex(rest, probes, kernel.AbsentProbes)) return null;
                        break;
                    default:
                        return null;
                }
            }
            return state;
        }

        /// <summary>Tabs and line breaks would split a record: a warning's text is shown, never parsed, so they become spaces.</summary>
        private static string OneField(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

        /// <summary>Adds the entries of <paramref name="table"/> named by space-separated positions; false on a bad one.</summary>
        private static bool AddByIndex(string indices, List<string> table, List<string> target)
        {
            foreach (string token in indices.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= table.Count) return false;
                target.Add(table[index]);
            }
            return true;
        }
    }
}
