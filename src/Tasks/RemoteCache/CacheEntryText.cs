using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace KernelBuild.Tasks.RemoteCache
{
    /// <summary>A file a kernel read, by portable path, and the SHA-256 of its bytes.</summary>
    internal sealed class PortableInput
    {
        public PortableInput(string path, string sha256)
        {
            Path = path;
            Sha256 = sha256;
        }

        public string Path { get; }
        public string Sha256 { get; }
    }

    /// <summary>
    /// What the first level of an entry records (a CAS blob): every file the kernel's compile read with its hash, in
    /// the scanner's order (the source first), and the include-search candidates that did not exist. One line each:
    /// <c>file TAB path TAB sha256</c>, <c>absent TAB path</c>, after a version line.
    /// </summary>
    internal sealed class KernelInputs
    {
        private const string Header = "KernelBuild remote-cache inputs 1";

        public List<PortableInput> Files { get; } = new List<PortableInput>();
        public List<string> AbsentProbes { get; } = new List<string>();

        public byte[] Serialize()
        {
            var text = new StringBuilder(Header).Append('\n');
            foreach (PortableInput file in Files) text.Append("file\t").Append(file.Path).Append('\t').Append(file.Sha256).Append('\n');
            foreach (string probe in AbsentProbes) text.Append("absent\t").Append(probe).Append('\n');
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        /// <summary>Null when the bytes are not such a list.</summary>
        public static KernelInputs? TryParse(byte[] bytes)
        {
            string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
            if (lines.Length < 2 || lines[0] != Header || lines[lines.Length - 1] != "") return null;
            var inputs = new KernelInputs();
            for (int i = 1; i < lines.Length - 1; i++)
            {
                string[] fields = lines[i].Split('\t');
                if (fields.Length == 3 && fields[0] == "file" && ActionResultMessage.IsSha256(fields[2])) inputs.Files.Add(new PortableInput(fields[1], fields[2]));
                else if (fields.Length == 2 && fields[0] == "absent") inputs.AbsentProbes.Add(fields[1]);
                else return null;
            }
            return inputs.Files.Count > 0 ? inputs : null;
        }
    }

    /// <summary>
    /// A kernel's non-image results (a CAS blob): its entry points and the compiler's warnings and remarks, which a
    /// restore replays as a compile would print them. <c>entry TAB name</c>, <c>diagnostic TAB severity TAB code TAB
    /// portable file TAB line TAB column TAB message</c> (backslash, tab and line break escaped).
    /// </summary>
    internal sealed class KernelRecordText
    {
        private const string Header = "KernelBuild remote-cache record 1";

        public List<string> EntryPoints { get; } = new List<string>();
        public List<string[]> Diagnostics { get; } = new List<string[]>();

        public byte[] Serialize()
        {
            var text = new StringBuilder(Header).Append('\n');
            foreach (string entry in EntryPoints) text.Append("entry\t").Append(Escape(entry)).Append('\n');
            foreach (string[] d in Diagnostics)
            {
                text.Append("diagnostic");
                foreach (string field in d) text.Append('\t').Append(Escape(field));
                text.Append('\n');
            }
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        public static KernelRecordText? TryParse(byte[] bytes)
        {
            string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
            if (lines.Length < 2 || lines[0] != Header || lines[lines.Length - 1] != "") return null;
            var record = new KernelRecordText();
            for (int i = 1; i < lines.Length - 1; i++)
            {
                string[] fields = lines[i].Split('\t');
                if (fields.Length == 2 && fields[0] == "entry") record.EntryPoints.Add(Unescape(fields[1]));
                else if (fields.Length == 7 && fields[0] == "diagnostic") record.Diagnostics.Add(fields.Skip(1).Select(Unescape).ToArray());
                else return null;
            }
            return record;
        }

        private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");

        private static string Unescape(string text)
        {
            var result = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] != '\\' || i + 1 == text.Length) { result.Append(text[i]); continue; }
                char next = text[++i];
                result.Append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            }
            return result.ToString();
        }
    }
}
