// Clamping, built on min_max.cuh: a header that includes another header.
#pragma once
#include "min_max.cuh"

__device__ inline float clamp_to(float value, float low, float high)
{
    return min_of(max_of(value, low), high);
}
