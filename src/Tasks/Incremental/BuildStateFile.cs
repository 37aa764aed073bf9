using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Incremental
{
    /// <summary>
    /// Reads and writes <c>KernelBuild.state</c>: tab-separated lines, paths last (so they may hold spaces), closed by
    /// a checksum line. Anything unexpected (missing, truncated, edited, other version) reads as "no state", which
    /// means every kernel is rebuilt: a damaged state can cost time, never correctness. Format: docs/formats.md.
    /// </summary>
    internal static class BuildStateFile
    {
        public const string FileName = "KernelBuild.state";
        private const string Header = "KernelBuild state 1";

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
            catch (IOException e)
            {
                problem = "state file unreadable: " + e.Message;
                return null;
            }

            try
            {
                BuildState? state = Parse(text);
                if (state == null) problem = "state file damaged or of another version";
                return state;
            }
            catch (Exception e) when (e is FormatException || e is ArgumentException || e is IndexOutOfRangeException)
            {
                problem = "state file damaged: " + e.Message;
                return null;
            }
        }

        public static void Write(string path, BuildState state) =>
            AtomicFile.WriteIfChanged(path, Encoding.UTF8.GetBytes(Serialize(state)));

        public static string Serialize(BuildState state)
        {
            var text = new StringBuilder();
            text.Append(Header).Append('\n');
            if (state.Compiler != null)
            {
                text.Append("compiler\t").Append(state.Compiler.Identity).Append('\t')
                    .Append(string.Join(",", state.Compiler.SupportedArchitectures.Select(a => a.ToString(CultureInfo.InvariantCulture))))
                    .Append('\t').Append(state.Compiler.Name).Append('\n');
            }
            foreach (TrackedFile file in state.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                text.Append("file\t").Append(file.Stamp.Serialize()).Append('\t').Append(file.Sha256).Append('\t').Append(file.Path).Append('\n');
            }
            foreach (KernelRecord kernel in state.Kernels.Values.OrderBy(k => k.RelativePath, StringComparer.Ordinal))
            {
                text.Append("kernel\t").Append(kernel.Fingerprint).Append('\t').Append(kernel.Complete ? '1' : '0').Append('\t').Append(kernel.RelativePath).Append('\n');
                foreach (string entry in kernel.EntryPoints) text.Append("entry\t").Append(entry).Append('\n');
                foreach (OutputRecord output in kernel.Outputs)
                {
                    text.Append("output\t").Append(output.Architecture).Append('\t').Append(output.Kind).Append('\t')
                        .Append(output.Stamp.Serialize()).Append('\t').Append(output.Sha256).Append('\t').Append(output.RelativePath).Append('\n');
                }
                foreach (string dependency in kernel.Dependencies) text.Append("dep\t").Append(dependency).Append('\n');
                foreach (string probe in kernel.AbsentProbes) text.Append("absent\t").Append(probe).Append('\n');
            }
            string body = text.ToString();
            return body + "end\t" + ContentHash.Of(body) + "\n";
        }

        private static BuildState? Parse(string text)
        {
            int endAt = text.LastIndexOf("end\t", StringComparison.Ordinal);
            if (!text.StartsWith(Header + "\n", StringComparison.Ordinal) || endAt < 0)
            {
                return null;
            }
            string body = text.Substring(0, endAt);
            if (text.Substring(endAt) != "end\t" + ContentHash.Of(body) + "\n")
            {
                return null; // truncated or edited
            }

            var state = new BuildState();
            KernelRecord? kernel = null;
            foreach (string line in body.Split('\n').Skip(1))
            {
                if (line.Length == 0) continue;
                string[] f = line.Split('\t');
                switch (f[0])
                {
                    case "compiler":
                        var compiler = new CompilerRecord { Identity = f[1], Name = f[3] };
                        compiler.SupportedArchitectures.AddRange(f[2].Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(a => int.Parse(a, CultureInfo.InvariantCulture)));
                        state.Compiler = compiler;
                        break;
                    case "file":
                        if (!FileStamp.TryParse(f, 1, out FileStamp stamp)) return null;
                        state.Files[f[6]] = new TrackedFile(f[6], stamp, f[5]);
                        break;
                    case "kernel":
                        kernel = new KernelRecord { Fingerprint = f[1], Complete = f[2] == "1", RelativePath = f[3] };
                        state.Kernels[kernel.RelativePath] = kernel;
                        break;
                    case "entry" when kernel != null:
                        kernel.EntryPoints.Add(f[1]);
                        break;
                    case "output" when kernel != null:
                        if (!FileStamp.TryParse(f, 3, out FileStamp outputStamp)) return null;
                        kernel.Outputs.Add(new OutputRecord { Architecture = f[1], Kind = f[2], Stamp = outputStamp, Sha256 = f[7], RelativePath = f[8] });
                        break;
                    case "dep" when kernel != null:
                        if (!state.Files.ContainsKey(f[1])) return null;
                        kernel.Dependencies.Add(f[1]);
                        break;
                    case "absent" when kernel != null:
                        kernel.AbsentProbes.Add(f[1]);
                        break;
                    default:
                        return null;
                }
            }
            return state;
        }
    }
}
