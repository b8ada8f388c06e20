/* clock.h: the one wall clock for timings, progress and time limits.
 *
 * pl_clock_seconds() reads CLOCK_MONOTONIC: seconds since an arbitrary fixed point, never going
 * backwards, unaffected by changes of the system time; only differences between two readings mean
 * anything. Never a source of randomness or of anything written into an output that must be
 * reproducible. No errors; no allocation; thread-safe.
 */
#ifndef PL_CLOCK_H
#define PL_CLOCK_H

/* Seconds on the monotonic clock, with nanosecond resolution. */
double pl_clock_seconds(void);

#endif
