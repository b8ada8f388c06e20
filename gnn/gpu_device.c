/* gpu_device.c: see gpu.h. The --device choice, in plain C, built with or without CUDA (the probe,
 * pl_gnn_cuda_available, comes from gnn/cuda/device.cu or gnn/gpu_stub.c). */
#include "gnn/gpu.h"

#include <stdio.h>
#include <string.h>

static const char *const device_names[] = {"auto", "cpu", "cuda"};

pl_status pl_gnn_device_parse(const char *s, pl_gnn_device *out)
{
    for (int d = 0; s && d < 3; d++)
        if (strcmp(s, device_names[d]) == 0) {
            *out = (pl_gnn_device)d;
            return PL_OK;
        }
    return pl_err(PL_EINVAL, "--device '%s': expected auto, cpu or cuda", s ? s : "(null)");
}

const char *pl_gnn_device_name(pl_gnn_device d)
{
    return d >= PL_GNN_DEVICE_AUTO && d <= PL_GNN_DEVICE_CUDA ? device_names[d] : "?";
}

pl_status pl_gnn_device_resolve(pl_gnn_device want, pl_gnn_device *got, char *note, size_t note_cap)
{
    char why[256] = "";
    if (note && note_cap) note[0] = '\0';
    if (want == PL_GNN_DEVICE_CPU) {
        *got = PL_GNN_DEVICE_CPU;
        return PL_OK;
    }
    if (want != PL_GNN_DEVICE_AUTO && want != PL_GNN_DEVICE_CUDA)
        return pl_err(PL_EINVAL, "gnn: unknown device %d", (int)want);
    if (pl_gnn_cuda_available(why, sizeof why)) {
        *got = PL_GNN_DEVICE_CUDA;
        return PL_OK;
    }
    if (want == PL_GNN_DEVICE_CUDA) return pl_err(PL_ENOTSUP, "--device cuda: %s", why);
    *got = PL_GNN_DEVICE_CPU;
    if (note && note_cap) snprintf(note, note_cap, "no GPU (%s): running on CPU", why);
    return PL_OK;
}
