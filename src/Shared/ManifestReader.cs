using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace KernelBuild.Formats
{
    /// <summary>A manifest could not be read; the message names its origin and what is wrong where.</summary>
    internal sealed class ManifestFormatException : FormatException
    {
        public ManifestFormatException(string message) : base(message)
        {
        }
    }

    /// <summary>
    /// Reads the manifest that <see cref="ManifestWriter"/> writes, and any other JSON rendering of the format of
    /// docs/formats.md (other white space, property order or escapes). Strict: JSON as RFC 8259 defines it (no
    /// comments, no trailing commas, no duplicate property names), every documented property present with its
    /// documented type, and values checked (architecture names, kinds, hashes). Properties it does not know are
    /// skipped, so that a later KernelBuild can add some within format 1.
    /// </summary>
    /// <remarks>
    /// Dependency-free, like the writer, because it is compiled into the netstandard2.0 task assembly too.
    /// </remarks>
    internal static class ManifestReader
    {
        /// <summary>Reads UTF-8 manifest bytes (a byte-order mark is allowed).</summary>
        /// <param name="utf8Json">The manifest.</param>
        /// <param name="origin">Names the manifest in messages, e.g. "the KernelBuild manifest of assembly 'MyApp'".</param>
        /// <exception cref="ManifestFormatException">Not JSON, another format, or a property missing, of the wrong type or with a wrong value.</exception>
        public static Manifest Read(byte[] utf8Json, string origin)
        {
            string text;
            try
            {
                text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(utf8Json);
            }
            catch (DecoderFallbackException)
            {
                throw new ManifestFormatException(origin + " is not valid JSON: it is not UTF-8 text.");
            }
            if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);

            JsonNode root = JsonParser.Parse(text, origin);
            return new Fields(origin).ReadManifest(root);
        }

        /// <summary>Typed access to the parsed JSON that names the property at fault.</summary>
        private readonly struct Fields
        {
            private readonly string _origin;

            public Fields(string origin) => _origin = origin;

            public Manifest ReadManifest(JsonNode root)
            {
                const string path = "the manifest";
                Object(root, path);
                int format = Int(Property(root, "format", path), "format");
                if (format != Manifest.Format)
                {
                    throw new ManifestFormatException(
                        _origin + " has format " + format.ToString(CultureInfo.InvariantCulture) + "; this KernelBuild reads format "
                        + Manifest.Format.ToString(CultureInfo.InvariantCulture) + ". Use a KernelBuild.Runtime as new as the KernelBuild that built the assembly.");
                }

                string? compiler = root.Properties!.TryGetValue("compiler", out JsonNode? compilerNode) ? String(compilerNode, "compiler") : null;
                var kernels = new List<ManifestKernelEntry>();
                List<JsonNode> kernelNodes = Array(Property(root, "kernels", path), "kernels");
                for (int i = 0; i < kernelNodes.Count; i++)
                {
                    kernels.Add(ReadKernel(kernelNodes[i], "kernels[" + Index(i) + "]"));
                }
                return new Manifest(compiler, kernels);
            }

            private ManifestKernelEntry ReadKernel(JsonNode node, string path)
            {
                Object(node, path);
                string source = String(Property(node, "source", path), path + ".source");

                var entryPoints = new List<string>();
                List<JsonNode> entryNodes = Array(Property(node, "entryPoints", path), path + ".entryPoints");
                for (int i = 0; i < entryNodes.Count; i++)
                {
                    entryPoints.Add(String(entryNodes[i], path + ".entryPoints[" + Index(i) + "]"));
                }

                var images = new List<ManifestImageEntry>();
                List<JsonNode> imageNodes = Array(Property(node, "images", path), path + ".images");
                for (int i = 0; i < imageNodes.Count; i++)
                {
                    images.Add(ReadImage(imageNodes[i], path + ".images[" + Index(i) + "]"));
                }
                return new ManifestKernelEntry(source, entryPoints, images);
            }

            private ManifestImageEntry ReadImage(JsonNode node, string path)
            {
                Object(node, path);
                string archText = String(Property(node, "arch", path), path + ".arch");
                if (!ArchitectureName.TryParse(archText, out ArchitectureName architecture))
                {
                    throw Malformed(path + ".arch is '" + archText + "', not an architecture name like sm_80 or compute_52");
                }
                if (architecture.Name != archText)
                {
                    throw Malformed(path + ".arch is '" + archText + "', not spelled as KernelBuild writes it ('" + architecture.Name + "')");
                }

                string kind = String(Property(node, "kind", path), path + ".kind");
                if (kind != ArchitectureName.PtxKind && kind != ArchitectureName.CubinKind)
                {
                    throw Malformed(path + ".kind is '" + kind + "'; expected 'ptx' or 'cubin'");
                }
                if (kind != architecture.ImageKind)
                {
                    throw Malformed(path + " is a " + kind + " for " + archText + "; PTX goes with compute_XY and cubins with sm_XY");
                }

                string resource = String(Property(node, "resource", path), path + ".resource");
                string sha256 = String(Property(node, "sha256", path), path + ".sha256");
                if (!IsLowercaseSha256(sha256))
                {
                    throw Malformed(path + ".sha256 is '" + sha256 + "', not 64 lowercase hex digits");
                }
                return new ManifestImageEntry(architecture, resource, sha256);
            }

            private static bool IsLowercaseSha256(string text)
            {
                if (text.Length != 64) return false;
                foreach (char c in text)
                {
                    if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return false;
                }
                return true;
            }

            private JsonNode Property(JsonNode node, string name, string path) =>
                node.Properties!.TryGetValue(name, out JsonNode? value) ? value : throw Malformed(path + " has no '" + name + "'");

            private void Object(JsonNode node, string path)
            {
                if (node.Kind != JsonKind.Object) throw Malformed(path + " is " + node.Describe() + ", not an object");
            }

            private List<JsonNode> Array(JsonNode node, string path) =>
                node.Kind == JsonKind.Array ? node.Items! : throw Malformed(path + " is " + node.Describe() + ", not an array");

            private string String(JsonNode node, string path) =>
                node.Kind == JsonKind.String ? node.Text! : throw Malformed(path + " is " + node.Describe() + ", not a string");

            private int Int(JsonNode node, string path) =>
                node.Kind == JsonKind.Number && int.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                    ? value
                    : throw Malformed(path + " is " + node.Describe() + ", not an integer");

            private ManifestFormatException Malformed(string problem) => new ManifestFormatException(_origin + " is malformed: " + problem);

            private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
        }

        private enum JsonKind { Object, Array, String, Number, True, False, Null }

        /// <summary>One parsed JSON value. A number keeps its text: the manifest needs only an integer, read on demand.</summary>
        private sealed class JsonNode
        {
            public JsonNode(JsonKind kind, string? text = null)
            {
                Kind = kind;
                Text = text;
            }

            public JsonKind Kind { get; }
            public string? Text { get; }
            public List<JsonNode>? Items { get; set; }
            public Dictionary<string, JsonNode>? Properties { get; set; }

            public string Describe() => Kind switch
            {
                JsonKind.Object => "an object",
                JsonKind.Array => "an array",
                JsonKind.String => "a string",
                JsonKind.Number => "the number " + Text,
                JsonKind.True => "true",
                JsonKind.False => "false",
                _ => "null",
            };
        }

        /// <summary>A recursive-descent parser of RFC 8259 JSON.</summary>
        private sealed class JsonParser
        {
            // Deeper nesting than this is no manifest, and unbounded recursion would let a crafted file overflow the stack.
            private const int MaxDepth = 64;

            private readonly string _text;
            private readonly string _origin;
            private int _position;

            private JsonParser(string text, string origin)
            {
                _text = text;
                _origin = origin;
            }

            public static JsonNode Parse(string text, string origin)
            {
                var parser = new JsonParser(text, origin);
                JsonNode root = parser.Value(depth: 0);
                parser.SkipWhiteSpace();
                if (parser._position < text.Length) throw parser.Invalid("more text after the end of the JSON value");
                return root;
            }

            private JsonNode Value(int depth)
            {
                if (depth > MaxDepth) throw Invalid("nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
                SkipWhiteSpace();
                if (_position >= _text.Length) throw Invalid("unexpected end");
                char c = _text[_position];
                switch (c)
                {
                    case '{': return Object(depth);
                    case '[': return Array(depth);
                    case '"': return new JsonNode(JsonKind.String, String());
                    case 't': return Literal("true", JsonKind.True);
                    case 'f': return Literal("false", JsonKind.False);
                    case 'n': return Literal("null", JsonKind.Null);
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return Number();
                        throw Invalid("unexpected character '" + c + "'");
                }
            }

            private JsonNode Object(int depth)
            {
                _position++; // '{'
                var properties = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
                SkipWhiteSpace();
                if (TryConsume('}')) return new JsonNode(JsonKind.Object) { Properties = properties };
                while (true)
                {
                    SkipWhiteSpace();
                    if (_position >= _text.Length || _text[_position] != '"') throw Invalid("expected a property name in quotes");
                    int nameStart = _position;
                    string name = String();
                    SkipWhiteSpace();
                    Expect(':');
                    JsonNode value = Value(depth + 1);
                    if (properties.ContainsKey(name))
                    {
                        _position = nameStart;
                        throw Invalid("property '" + name + "' appears twice in one object");
                    }
                    properties.Add(name, value);
                    SkipWhiteSpace();
                    if (TryConsume('}')) return new JsonNode(JsonKind.Object) { Properties = properties };
                    Expect(',');
                }
            }

            private JsonNode Array(int depth)
            {
                _position++; // '['
                var items = new List<JsonNode>();
                SkipWhiteSpace();
                if (TryConsume(']')) return new JsonNode(JsonKind.Array) { Items = items };
                while (true)
                {
                    items.Add(Value(depth + 1));
                    SkipWhiteSpace();
                    if (TryConsume(']')) return new JsonNode(JsonKind.Array) { Items = items };
                    Expect(',');
                }
            }

            private string String()
            {
                _position++; // '"'
                var value = new StringBuilder();
                while (true)
                {
                    if (_position >= _text.Length) throw Invalid("a string is not closed");
                    char c = _text[_position++];
                    if (c == '"') return value.ToString();
                    if (c < 0x20)
                    {
                        _position--;
                        throw Invalid("a control character in a string must be escaped");
                    }
                    value.Append(c == '\\' ? Escape() : c);
                }
            }

            private char Escape()
            {
                if (_position >= _text.Length) throw Invalid("a string is not closed");
                char c = _text[_position++];
                switch (c)
                {
                    case '"': return '"';
                    case '\\': return '\\';
                    case '/': return '/';
                    case 'b': return '\b';
                    case 'f': return '\f';
                    case 'n': return '\n';
                    case 'r': return '\r';
                    case 't': return '\t';
                    case 'u':
                        if (_position + 4 <= _text.Length
                            && int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        {
                            _position += 4;
                            return (char)code;
                        }
                        throw Invalid("\\u is not followed by four hex digits");
                    default:
                        _position--;
                        throw Invalid("'\\" + c + "' is not a JSON escape");
                }
            }

            private JsonNode Number()
            {
                int start = _position;
                TryConsume('-');
                if (TryConsume('0'))
                {
                    // JSON allows no leading zeros: "01" is not a number.
                }
                else if (!Digits())
                {
                    throw Invalid("a number has no digits");
                }
                if (TryConsume('.') && !Digits()) throw Invalid("a number has no digits after its decimal point");
                if (TryConsume('e') || TryConsume('E'))
                {
                    if (!TryConsume('+')) TryConsume('-');
                    if (!Digits()) throw Invalid("a number has no digits in its exponent");
                }
                return new JsonNode(JsonKind.Number, _text.Substring(start, _position - start));
            }

            private bool Digits()
            {
                int start = _position;
                while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9') _position++;
                return _position > start;
            }

            private JsonNode Literal(string literal, JsonKind kind)
            {
                if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0) throw Invalid("unexpected character '" + _text[_position] + "'");
                _position += literal.Length;
                return new JsonNode(kind);
            }

            private void SkipWhiteSpace()
            {
                while (_position < _text.Length && (_text[_position] == ' ' || _text[_position] == '\t' || _text[_position] == '\n' || _text[_position] == '\r'))
                {
                    _position++;
                }
            }

            private bool TryConsume(char c)
            {
                if (_position < _text.Length && _text[_position] == c)
                {
                    _position++;
                    return true;
                }
                return false;
            }

            private void Expect(char c)
            {
                if (!TryConsume(c))
                {
                    throw Invalid(_position >= _text.Length ? "unexpected end, expected '" + c + "'" : "expected '" + c + "', found '" + _text[_position] + "'");
                }
            }

            /// <summary>The error at the current position, with its line and column (1-based) for a person to look at.</summary>
            private ManifestFormatException Invalid(string problem)
            {
                int line = 1, column = 1;
                for (int i = 0; i < _position && i < _text.Length; i++)
                {
                    if (_text[i] == '\n') { line++; column = 1; }
                    else column++;
                }
                return new ManifestFormatException(_origin + " is not valid JSON: " + problem + " (line "
                    + line.ToString(CultureInfo.InvariantCulture) + ", column " + column.ToString(CultureInfo.InvariantCulture) + ").");
            }
        }
    }
}
