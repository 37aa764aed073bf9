using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.RemoteCache
{
    /// <summary>
    /// GET and PUT on a Bazel HTTP cache (<c>/ac/&lt;sha256&gt;</c>, <c>/cas/&lt;sha256&gt;</c>), a bounded number at a time.
    /// Never throws for what a server does: a 404 is a miss, and anything else that goes wrong (refused connection,
    /// time-out, another status, a CAS blob whose hash is not its name) is recorded as <see cref="Failure"/> and
    /// answered as a miss. After a failure of the transport or the server the cache is not asked again in this build,
    /// so a down or slow server costs one time-out, not one per kernel.
    /// </summary>
    internal sealed class RemoteCacheClient : IDisposable
    {
        /// <summary>Requests in flight at once: enough to hide a network's latency, few enough for any server.</summary>
        public const int MaxConcurrentRequests = 16;

        private readonly HttpClient _http;
        private readonly SemaphoreSlim _lanes = new SemaphoreSlim(MaxConcurrentRequests);
        private readonly Uri _baseUri;
        private string? _failure;
        private int _unavailable;
        private long _bytesDownloaded;
        private long _bytesUploaded;

        public RemoteCacheClient(RemoteCacheSettings settings)
        {
            _baseUri = settings.BaseUri;
            _http = new HttpClient(CreateHandler()) { Timeout = settings.Timeout };
            _http.DefaultRequestHeaders.Authorization = settings.Authorization;
            if (settings.HeaderName != null) _http.DefaultRequestHeaders.TryAddWithoutValidation(settings.HeaderName, settings.HeaderValue);
        }

        /// <summary>
        /// A handler that opens as many connections as there are lanes: .NET Framework's default (MSBuild in Visual
        /// Studio) is two per server, which would serialize the lookups.
        /// </summary>
        private static HttpClientHandler CreateHandler()
        {
            var handler = new HttpClientHandler();
            try
            {
                handler.MaxConnectionsPerServer = MaxConcurrentRequests;
            }
            catch (PlatformNotSupportedException)
            {
                // Older .NET Framework handlers: the lookups then share fewer connections, still correct.
            }
            return handler;
        }

        /// <summary>The first thing that went wrong, worded for the one warning of the build; null when nothing did.</summary>
        public string? Failure => Volatile.Read(ref _failure);
        public bool Unavailable => Volatile.Read(ref _unavailable) != 0;
        public long BytesDownloaded => Interlocked.Read(ref _bytesDownloaded);
        public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

        /// <summary>An action cache entry; null when there is none (or it could not be fetched).</summary>
        public Task<byte[]?> GetActionResultAsync(string key) => GetAsync("ac/" + key);

        /// <summary>A CAS blob whose SHA-256 was checked to be <paramref name="sha256"/>; null when absent, truncated or corrupt.</summary>
        public async Task<byte[]?> GetBlobAsync(string sha256, long size)
        {
            byte[]? bytes = await GetAsync("cas/" + sha256).ConfigureAwait(false);
            if (bytes == null) return null;
            if (bytes.LongLength != size || ContentHash.Of(bytes) != sha256)
            {
                RecordFailure("cas/" + sha256 + " is corrupt or truncated (" + bytes.LongLength + " bytes whose SHA-256 is not its name)", stopUsing: false);
                return null;
            }
            return bytes;
        }

        public Task PutActionResultAsync(string key, byte[] bytes) => PutAsync("ac/" + key, bytes);
        public Task PutBlobAsync(byte[] bytes) => PutAsync("cas/" + ContentHash.Of(bytes), bytes);

        /// <summary>Notes garbage the caller found in an entry (an action result that does not parse, say).</summary>
        public void RecordFailure(string what, bool stopUsing)
        {
            Interlocked.CompareExchange(ref _failure, what, null);
            if (stopUsing) Interlocked.Exchange(ref _unavailable, 1);
        }

        private async Task<byte[]?> GetAsync(string relative)
        {
            if (Unavailable) return null;
            await _lanes.WaitAsync().ConfigureAwait(false);
            try
            {
                using HttpResponseMessage response = await _http.GetAsync(new Uri(_baseUri, relative)).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound) return null;
                if (!response.IsSuccessStatusCode)
                {
                    RecordFailure("GET " + relative + " answered " + (int)response.StatusCode + " " + response.ReasonPhrase, stopUsing: true);
                    return null;
                }
                byte[] bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                Interlocked.Add(ref _bytesDownloaded, bytes.LongLength);
                return bytes;
            }
            catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException || e is OperationCanceledException || e is System.IO.IOException)
            {
                RecordFailure("GET " + relative + " failed: " + Describe(e), stopUsing: true);
                return null;
            }
            finally
            {
                _lanes.Release();
            }
        }

        private async Task PutAsync(string relative, byte[] bytes)
        {
            if (Unavailable) return;
            await _lanes.WaitAsync().ConfigureAwait(false);
            try
            {
                using var content = new ByteArrayContent(bytes);
                using HttpResponseMessage response = await _http.PutAsync(new Uri(_baseUri, relative), content).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    RecordFailure("PUT " + relative + " answered " + (int)response.StatusCode + " " + response.ReasonPhrase, stopUsing: true);
                    return;
                }
                Interlocked.Add(ref _bytesUploaded, bytes.LongLength);
            }
            catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException || e is OperationCanceledException || e is System.IO.IOException)
            {
                RecordFailure("PUT " + relative + " failed: " + Describe(e), stopUsing: true);
            }
            finally
            {
                _lanes.Release();
            }
        }

        /// <summary>The innermost reason ("Connection refused"), or that the request timed out.</summary>
        private string Describe(Exception e)
        {
            if (e is OperationCanceledException) return "no answer within " + _http.Timeout.TotalSeconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " s (CudaRemoteCacheTimeout)";
            Exception inner = e;
            while (inner.InnerException != null) inner = inner.InnerException;
            return inner.Message;
        }

        public void Dispose()
        {
            _http.Dispose();
            _lanes.Dispose();
        }
    }
}
