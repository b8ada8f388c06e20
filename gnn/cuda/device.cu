/* device.cu: pl_gnn_cuda_available for CUDA builds: a device must answer and be able to run this build's
 * code (sm_90 machine code, compute_90 PTX that the driver JIT-compiles for newer GPUs). */
#include "gnn/cuda/cu.cuh"

enum { NEED_CC = 90 };

int pl_gnn_cuda_available(char *why, size_t why_cap)
{
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        if (why && why_cap) snprintf(why, why_cap, "no CUDA device (cudaGetDeviceCount: %s)", cudaGetErrorString(e));
        cudaGetLastError(); /* clear the (non-sticky) error so later calls start clean */
        return 0;
    }
    if (n == 0) {
        if (why && why_cap) snprintf(why, why_cap, "no CUDA device (cudaGetDeviceCount found 0)");
        return 0;
    }
    cudaDeviceProp prop;
    e = cudaGetDeviceProperties(&prop, 0);
    if (e != cudaSuccess) {
        if (why && why_cap) snprintf(why, why_cap, "CUDA device 0 unreadable: %s", cudaGetErrorString(e));
        cudaGetLastError();
        return 0;
    }
    if (prop.major * 10 + prop.minor < NEED_CC) {
        if (why && why_cap)
            snprintf(why, why_cap, "GPU %s has compute capability %d.%d; this build needs %d.%d or newer", prop.name,
                     prop.major, prop.minor, NEED_CC / 10, NEED_CC % 10);
        return 0;
    }
    if (why && why_cap) snprintf(why, why_cap, "%s", prop.name);
    return 1;
}
