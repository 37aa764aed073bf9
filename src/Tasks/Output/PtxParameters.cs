using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelBuild.Tasks.Output
{
    /// <summary>One kernel parameter as the PTX declares it: the bytes the driver copies and their alignment.</summary>
    internal readonly struct PtxParameter
    {
        public PtxParameter(int size, int alignment)
        {
            Size = size;
            Alignment = alignment;
        }

        public int Size { get; }
        public int Alignment { get; }
    }

    /// <summary>
    /// Reads each entry point's parameter list from PTX text: <c>.param .u32 k_param_0</c> is 4 bytes aligned to 4,
    /// <c>.param .align 8 .b8 k_param_1[16]</c> 16 bytes aligned to 8. This is the argument block the compiler laid out.
    /// </summary>
    internal static class PtxParameters
    {
        private static readonly Regex s_entry = new Regex(@"\.entry\s+(?<name>[A-Za-z_$%][\w$%]*)\s*\((?<parameters>[^)]*)\)", RegexOptions.CultureInvariant);
        private static readonly Regex s_parameter = new Regex(
            @"\.param\s+(?:\.align\s+(?<align>\d+)\s+)?\.(?<type>[bsuf])(?<bits>\d+)(?:\s+\.ptr(?:\s+\.\w+)*?(?:\s+\.align\s+\d+)?)?\s+[\w$%]+(?:\[(?<count>\d+)\])?",
            RegexOptions.CultureInvariant);

        /// <summary>Entry point name to its parameters, in order.</summary>
        public static Dictionary<string, List<PtxParameter>> Find(string ptx)
        {
            var entries = new Dictionary<string, List<PtxParameter>>(System.StringComparer.Ordinal);
            foreach (Match entry in s_entry.Matches(ptx))
            {
                var parameters = new List<PtxParameter>();
                foreach (Match parameter in s_parameter.Matches(entry.Groups["parameters"].Value))
                {
                    int elementSize = Parse(parameter.Groups["bits"].Value) / 8;
                    int count = parameter.Groups["count"].Success ? Parse(parameter.Groups["count"].Value) : 1;
                    int alignment = parameter.Groups["align"].Success ? Parse(parameter.Groups["align"].Value) : elementSize;
                    parameters.Add(new PtxParameter(elementSize * count, alignment));
                }
                entries[entry.Groups["name"].Value] = parameters;
            }
            return entries;
        }

        private static int Parse(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
