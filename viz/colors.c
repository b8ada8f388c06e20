/* colors.c: heatmap ramp and series colours (see colors.h). */
#include "viz/colors.h"

#include <math.h>

/* YlOrRd with a dark-purple end, evenly spaced stops. */
static const unsigned HEAT[] = {0xffffccu, 0xffeda0u, 0xfed976u, 0xfeb24cu, 0xfd8d3cu,
                                0xfc4e2au, 0xe31a1cu, 0xb10026u, 0x6a0046u};
enum { NHEAT = sizeof HEAT / sizeof HEAT[0] };

unsigned pl_viz_heat(double t)
{
    if (!(t > 0)) t = 0;
    if (t > 1) t = 1;
    double u = t * (NHEAT - 1);
    int i = (int)u;
    if (i >= NHEAT - 1) return HEAT[NHEAT - 1];
    double f = u - i;
    unsigned out = 0;
    for (int sh = 16; sh >= 0; sh -= 8) {
        double a = (HEAT[i] >> sh) & 255, b = (HEAT[i + 1] >> sh) & 255;
        unsigned v = (unsigned)lround(a + f * (b - a));
        out |= v << sh;
    }
    return out;
}

unsigned pl_viz_series(int k)
{
    static const unsigned S[] = {0x4477aau, 0xee6677u, 0x228833u, 0xccbb44u, 0x66cceeu, 0xaa3377u, 0x555555u};
    return S[(k % 7 + 7) % 7];
}
