#pragma once
// The factor saxpy multiplies by. Change it, run the sample again, and see the kernel rebuilt.
__device__ __forceinline__ float scale() { return 2.0f; }
