using System;
using System.Threading;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// Runs work items 0..count-1 on dedicated threads and hands their results to one consumer in item order, each as
    /// soon as it and those before it are done. The compile task logs kernel i's errors on its own thread (MSBuild's
    /// logger is not to be called from others) while later kernels still compile, in the kernels' order whichever lane
    /// finished first.
    /// Dedicated threads rather than the thread pool: the pool adds threads beyond its minimum only slowly, and NVRTC's
    /// recursion gets the same stack on every lane.
    /// </summary>
    internal sealed class ResultsInOrder<TResult> : IDisposable where TResult : class
    {
        /// <summary>NVRTC compiles deep template instantiations recursively; more than a pool thread's default.</summary>
        private const int StackBytes = 16 * 1024 * 1024;

        private readonly TResult?[] _results;
        private readonly Func<int, TResult> _work;
        private readonly Func<int, Exception, TResult> _failed;
        private readonly Thread[] _threads;
        private readonly object _gate = new object();
        private int _next = -1;

        /// <param name="work">Computes item i; called on one of the threads.</param>
        /// <param name="failed">The result for an item whose work threw: an exception escaping a thread would end MSBuild.</param>
        public ResultsInOrder(int count, int threads, Func<int, TResult> work, Func<int, Exception, TResult> failed)
        {
            _results = new TResult?[count];
            _work = work;
            _failed = failed;
            _threads = new Thread[count == 0 ? 0 : Math.Max(1, Math.Min(threads, count))];
            for (int t = 0; t < _threads.Length; t++)
            {
                _threads[t] = new Thread(Run, StackBytes) { IsBackground = true, Name = "KernelBuild compile lane " + t };
                _threads[t].Start();
            }
        }

        public int Count => _results.Length;

        /// <summary>Item i's result; blocks until it is done.</summary>
        public TResult Take(int i)
        {
            lock (_gate)
            {
                while (_results[i] == null) Monitor.Wait(_gate);
                return _results[i]!;
            }
        }

        /// <summary>Waits for every thread to finish its items.</summary>
        public void Dispose()
        {
            foreach (Thread thread in _threads) thread.Join();
        }

        private void Run()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < _results.Length)
            {
                TResult result;
                try
                {
                    result = _work(i);
                }
                catch (Exception e)
                {
                    result = _failed(i, e);
                }
                lock (_gate)
                {
                    _results[i] = result;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
