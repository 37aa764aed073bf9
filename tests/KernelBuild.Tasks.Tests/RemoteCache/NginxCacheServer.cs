using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KernelBuild.Tasks.Tests.RemoteCache;

/// <summary>
/// A real Bazel HTTP cache for a test: nginx with its WebDAV module (GET, PUT, HEAD on <c>/ac/…</c> and <c>/cas/…</c>,
/// 404 on a miss) serving a temporary folder on a free loopback port. Stopped and deleted on Dispose.
/// </summary>
public sealed class NginxCacheServer : IDisposable
{
    private readonly Process _process;

    private NginxCacheServer(string root, int port, Process process)
    {
        Root = root;
        Port = port;
        _process = process;
    }

    /// <summary>The folder the server's entries are stored in: <c>ac/</c> and <c>cas/</c> below it.</summary>
    public string Store => Path.Combine(Root, "store");
    public string Root { get; }
    public int Port { get; }
    public string Url => "http://127.0.0.1:" + Port + "/";

    /// <summary>Inconclusive when nginx is not installed (eng/install-nginx.sh installs it).</summary>
    /// <param name="requiredAuthorization">When set, requests without this Authorization header are answered 401.</param>
    public static NginxCacheServer Start(string? requiredAuthorization = null)
    {
        string? nginx = ExternalTool.FindOnPath("nginx") ?? (File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null);
        if (nginx == null) Assert.Inconclusive("nginx is not installed (run eng/install-nginx.sh).");
        string root = Path.Combine(Path.GetTempPath(), "kb-tests", "nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(root, "store"));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        int port = FreePort();
        File.WriteAllText(Path.Combine(root, "nginx.conf"), Configuration(root, port, requiredAuthorization));
        var start = new ProcessStartInfo(nginx!) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "-p", root, "-c", Path.Combine(root, "nginx.conf"), "-e", Path.Combine(root, "error.log") }) start.ArgumentList.Add(argument);
        var server = new NginxCacheServer(root, port, Process.Start(start)!);
        server.WaitUntilListening();
        return server;
    }

    /// <summary>
    /// One process (no master, so no switch to an unprivileged user who could not write the store), in the
    /// foreground, every path inside the temporary folder: nginx's compiled-in temp folders may not be writable.
    /// </summary>
    private static string Configuration(string root, int port, string? requiredAuthorization) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{root}}/nginx.pid;
        error_log {{root}}/error.log;
        events { worker_connections 512; }
        http {
            access_log {{root}}/access.log;
            client_body_temp_path {{root}}/tmp/body;
            proxy_temp_path {{root}}/tmp/proxy;
            fastcgi_temp_path {{root}}/tmp/fastcgi;
            uwsgi_temp_path {{root}}/tmp/uwsgi;
            scgi_temp_path {{root}}/tmp/scgi;
            client_max_body_size 0;
            server {
                listen 127.0.0.1:{{port}};
                root {{root}}/store;
                location / {
                    {{(requiredAuthorization == null ? "" : "if ($http_authorization != \"" + requiredAuthorization + "\") { return 401; }")}}
                    dav_methods PUT;
                    create_full_put_path on;
                }
            }
        }
        """;

    /// <summary>Every stored entry's file, <c>ac/…</c> and <c>cas/…</c>.</summary>
    public IReadOnlyList<string> StoredFiles(string kind) =>
        Directory.Exists(Path.Combine(Store, kind)) ? Directory.GetFiles(Path.Combine(Store, kind)) : Array.Empty<string>();

    /// <summary>How many requests of this method the server answered (its access log).</summary>
    public int Requests(string method) =>
        File.Exists(Path.Combine(Root, "access.log")) ? File.ReadLines(Path.Combine(Root, "access.log")).Count(l => l.Contains("\"" + method + " ")) : 0;

    /// <summary>A loopback port nothing listens on right now (taken from the OS, then released).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void WaitUntilListening()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("nginx exited with " + _process.ExitCode + ": " + _process.StandardError.ReadToEnd() + ReadErrorLog());
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException("nginx did not listen on port " + Port + " within 20 s. " + ReadErrorLog());
    }

    private string ReadErrorLog() => File.Exists(Path.Combine(Root, "error.log")) ? File.ReadAllText(Path.Combine(Root, "error.log")) : "";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
