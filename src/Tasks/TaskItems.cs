using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Items handed back to MSBuild. An item spec or metadata value set by a task is read as escaped MSBuild text: a
    /// path holding <c>%20</c> would come back as a space, and one holding <c>;</c> would become two items in the C#
    /// compile's resources (CS1508/CS1566). So every string from the file system is escaped on the way out.
    /// </summary>
    internal static class TaskItems
    {
        /// <summary>An item whose spec is exactly <paramref name="path"/>.</summary>
        public static ITaskItem ForPath(string path) => new TaskItem(Escape(path));

        /// <summary>Sets metadata to exactly <paramref name="value"/>.</summary>
        public static void SetLiteralMetadata(this ITaskItem item, string name, string value) => item.SetMetadata(name, Escape(value));

        /// <summary>MSBuild's escaping: each character it treats specially becomes <c>%XX</c> (its hex code).</summary>
        public static string Escape(string text)
        {
            StringBuilder? escaped = null;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool special = c == '%' || c == '*' || c == '?' || c == '@' || c == '$' || c == '(' || c == ')' || c == ';' || c == '\'';
                if (special && escaped == null)
                {
                    escaped = new StringBuilder(text.Length + 8).Append(text, 0, i);
                }
                if (escaped == null) continue;
                if (special) escaped.Append('%').Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                else escaped.Append(c);
            }
            return escaped?.ToString() ?? text;
        }
    }
}
