using System.Collections.Generic;
using System.Linq;

namespace KernelBuild.Runtime;

/// <summary>Chooses which of a kernel's embedded images to load on a device. Pure code: no driver calls.</summary>
internal static class ImageSelector
{
    /// <summary>
    /// The best image for <paramref name="device"/>: the closest cubin the device can run, else the
    /// PTX of the highest virtual architecture not above the device's, for the driver to JIT.
    /// </summary>
    /// <exception cref="KernelLoadException">Nothing embedded suits the device.</exception>
    internal static KernelImage Select(string kernelSource, IReadOnlyList<KernelImage> images, ComputeCapability device)
    {
        // A cubin needs no compilation at load time and was optimised by NVRTC for (nearly) this
        // device, so any runnable cubin beats PTX. Among runnable cubins the highest minor is the
        // closest to the device; an exact 'a' build beats the plain one, which it equals in capability.
        KernelImage? cubin = images
            .Where(image => image.Kind == KernelImageKind.Cubin && image.Architecture.CanRunOn(device))
            .OrderByDescending(image => image.Architecture.Capability)
            .ThenByDescending(image => image.Architecture.Suffix == 'a')
            .FirstOrDefault();
        if (cubin is not null)
        {
            return cubin;
        }

        // The highest PTX version the device accepts uses the most of its features.
        KernelImage? ptx = images
            .Where(image => image.Kind == KernelImageKind.Ptx && image.Architecture.CanRunOn(device))
            .OrderByDescending(image => image.Architecture.Capability)
            .ThenByDescending(image => image.Architecture.Suffix == 'a')
            .FirstOrDefault();
        if (ptx is not null)
        {
            return ptx;
        }

        string embedded = images.Count == 0 ? "no images" : string.Join(", ", images.Select(image => image.Architecture.Name));
        throw new KernelLoadException(
            $"kernel '{kernelSource}' has no image for this device (compute capability {device}): embedded are {embedded}. " +
            "A cubin sm_XY runs on devices X.Y to X.9 and PTX compute_XY on devices X.Y and later; " +
            $"add sm_{device.Major}{device.Minor} or a compute_XY of at most {device} to CudaArchitectures.");
    }
}
