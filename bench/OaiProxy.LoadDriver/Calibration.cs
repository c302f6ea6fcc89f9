using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace OaiProxy.LoadDriver;

/// <summary>
/// How long the machine takes to wake a sleeping thread: a blocking pipe ping-pong between two threads on the same
/// CPU and on different CPUs. A proxy hop costs at least two such wake-ups, so this bounds what any proxy can reach
/// here (on virtual machines a wake-up across vCPUs can cost far more than the proxy's own work).
/// </summary>
internal static partial class Calibration
{
    public static (double SameCpuMicros, double CrossCpuMicros) WakeRoundTrips(int rounds = 2_000)
    {
        var cpus = Environment.ProcessorCount;
        return (PingPong(0, 0, rounds), cpus > 1 ? PingPong(0, 1, rounds) : double.NaN);
    }

    private static double PingPong(int cpuA, int cpuB, int rounds)
    {
        using var toB = new AnonymousPipeServerStream(PipeDirection.Out);
        using var fromA = new AnonymousPipeClientStream(PipeDirection.In, toB.ClientSafePipeHandle);
        using var toA = new AnonymousPipeServerStream(PipeDirection.Out);
        using var fromB = new AnonymousPipeClientStream(PipeDirection.In, toA.ClientSafePipeHandle);
        var one = new byte[1];
        var partner = new Thread(() =>
        {
            Pin(cpuB);
            var buffer = new byte[1];
            for (var i = 0; i < rounds; i++)
            {
                if (fromA.Read(buffer) == 0) return;
                toA.Write(buffer);
            }
        }) { IsBackground = true };
        double micros = double.NaN;
        var runner = new Thread(() =>
        {
            Pin(cpuA);
            partner.Start();
            Thread.Sleep(100);
            var buffer = new byte[1];
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < rounds; i++)
            {
                toB.Write(one);
                if (fromB.Read(buffer) == 0) return;
            }
            micros = Samples.ToMicros(Stopwatch.GetTimestamp() - started) / rounds;
        });
        runner.Start();
        runner.Join(TimeSpan.FromSeconds(30));
        partner.Join(TimeSpan.FromSeconds(5));
        return micros;
    }

    private static void Pin(int cpu)
    {
        var mask = 1UL << cpu;
        _ = SchedSetAffinity(0, sizeof(ulong), ref mask); // 0: the calling thread
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static partial int SchedSetAffinity(int pid, nint size, ref ulong mask);
}
