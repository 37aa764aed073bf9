// Minimum and maximum without the standard library (NVRTC has none).
#pragma once

__device__ inline float min_of(float a, float b) { return a < b ? a : b; }
__device__ inline float max_of(float a, float b) { return a > b ? a : b; }
