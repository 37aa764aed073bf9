using System;

namespace KernelBuild.Tasks.IO
{
    /// <summary>
    /// A path (or other value) that a file format cannot hold, such as a line break in a dependency file; the writer
    /// refuses it rather than write a file that reads back as something else. Reported as KB4002.
    /// </summary>
    internal sealed class UnrepresentablePathException : ArgumentException
    {
        public UnrepresentablePathException(string message)
            : base(message)
        {
        }

        /// <summary>The value in quotes with its control characters spelled out, so that the message stays on one line.</summary>
        public static string Quote(string value) =>
            "'" + value.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t").Replace("\0", "\\0") + "'";
    }
}
