using System;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace KernelBuild.Tasks.RemoteCache
{
    /// <summary>
    /// Where the shared cache is and how to talk to it, from the CudaRemoteCache* properties (docs/remote-cache.md).
    /// Credentials are kept out of <see cref="DisplayUrl"/> and out of every message.
    /// </summary>
    internal sealed class RemoteCacheSettings
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

        private RemoteCacheSettings(Uri baseUri, bool readOnly, TimeSpan timeout)
        {
            BaseUri = baseUri;
            ReadOnly = readOnly;
            Timeout = timeout;
        }

        /// <summary>The server's root, ending in '/': entries are <c>ac/&lt;sha256&gt;</c> and <c>cas/&lt;sha256&gt;</c> below it.</summary>
        public Uri BaseUri { get; }
        /// <summary>Look up only, never upload: for builds that must not write to a shared cache (pull requests).</summary>
        public bool ReadOnly { get; }
        /// <summary>The most one request may take; a server slower than this counts as down for the rest of the build.</summary>
        public TimeSpan Timeout { get; }
        /// <summary>A header sent with every request (credentials): name and value.</summary>
        public AuthenticationHeaderValue? Authorization { get; private set; }
        public string? HeaderName { get; private set; }
        public string? HeaderValue { get; private set; }

        /// <summary>The URL without user name and password, for the log.</summary>
        public string DisplayUrl => BaseUri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);

        /// <summary>
        /// The settings, or null when the cache is off (no URL). <paramref name="error"/> is set, and null returned, when
        /// a property is invalid: the message names the property and says what it accepts.
        /// </summary>
        /// <param name="header">A <c>Name: value</c> header, for example <c>Authorization: Bearer …</c>.</param>
        /// <param name="headerVariable">The name of an environment variable holding such a header (kept out of project files and logs).</param>
        public static RemoteCacheSettings? Parse(string? url, string? mode, string? header, string? headerVariable, string? timeoutSeconds, out string? error)
        {
            error = null;
            if (string.IsNullOrWhiteSpace(url)) return null;
            if (!Uri.TryCreate(url!.Trim(), UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                error = "CudaRemoteCacheUrl '" + Redact(url) + "' is not an absolute http:// or https:// URL. Set it to the cache server's root, for example http://cache.example:8080/, or leave it empty to build without a remote cache.";
                return null;
            }
            bool readOnly;
            switch ((mode ?? "").Trim().ToLowerInvariant())
            {
                case "": case "readwrite": readOnly = false; break;
                case "readonly": readOnly = true; break;
                default:
                    error = "CudaRemoteCacheMode '" + mode + "' is not ReadWrite or ReadOnly. Use ReadWrite (look up and upload, the default) or ReadOnly (look up only).";
                    return null;
            }
            TimeSpan timeout = DefaultTimeout;
            if (!string.IsNullOrWhiteSpace(timeoutSeconds))
            {
                if (!double.TryParse(timeoutSeconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds <= 0 || seconds > 3600)
                {
                    error = "CudaRemoteCacheTimeout '" + timeoutSeconds + "' is not a number of seconds between 0 and 3600. Set it to how long one request to the cache may take, for example 10.";
                    return null;
                }
                timeout = TimeSpan.FromSeconds(seconds);
            }

            var settings = new RemoteCacheSettings(WithTrailingSlash(uri), readOnly, timeout);
            if (!settings.TrySetCredentials(uri, header, headerVariable, out error)) return null;
            return settings;
        }

        private bool TrySetCredentials(Uri uri, string? header, string? headerVariable, out string? error)
        {
            error = null;
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                // http://user:password@host/ as curl and Bazel take it: HttpClient does not send user info by itself.
                Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
            }
            string? text = header;
            string source = "CudaRemoteCacheHeader";
            if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(headerVariable))
            {
                text = Environment.GetEnvironmentVariable(headerVariable!.Trim());
                source = "The environment variable " + headerVariable.Trim() + " (CudaRemoteCacheHeaderVariable)";
            }
            if (string.IsNullOrWhiteSpace(text)) return true;
            int colon = text!.IndexOf(':');
            if (colon <= 0 || text.Substring(0, colon).Trim().Length == 0 || text.IndexOfAny(new[] { '\r', '\n' }) >= 0)
            {
                // The value is a secret: the message says what is wrong without quoting it.
                error = source + " does not hold a header of the form 'Name: value' on one line. Set it to, for example, 'Authorization: Bearer <token>'.";
                return false;
            }
            HeaderName = text.Substring(0, colon).Trim();
            HeaderValue = text.Substring(colon + 1).Trim();
            return true;
        }

        private static Uri WithTrailingSlash(Uri uri)
        {
            var builder = new UriBuilder(uri) { UserName = "", Password = "" };
            if (!builder.Path.EndsWith("/", StringComparison.Ordinal)) builder.Path += "/";
            return builder.Uri;
        }

        /// <summary>The text with anything that looks like user info dropped, so that a password never reaches the log.</summary>
        private static string Redact(string text)
        {
            int at = text.IndexOf('@');
            int scheme = text.IndexOf("://", StringComparison.Ordinal);
            return at > 0 && scheme >= 0 && at > scheme ? text.Substring(0, scheme + 3) + "…" + text.Substring(at) : text;
        }
    }
}
