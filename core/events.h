/* events.h: what the placer publishes while it works, for subscribers such as viz (images).
 *
 * A pl_event names a kind (stage begin/end, iteration, placement done) and borrows pointers to the
 * netlist, the cost context and its terms, valid only during the callback (may be NULL). A
 * pl_event_bus holds up to PL_EVENT_MAX_SINKS sinks {fn, user}; publish calls them in subscription
 * order and returns the first failure (later sinks still run). The bus owns nothing: a sink's user
 * data belongs to whoever subscribed it. Errors: subscribe PL_EINVAL when full or fn is NULL.
 * Deterministic; one thread per bus (callbacks run on the publishing thread).
 */
#ifndef PL_EVENTS_H
#define PL_EVENTS_H

#include <stdint.h>

#include "core/netlist.h"
#include "core/status.h"

/* Opaque here (defined in cost/proxy.h, a floor above): events only carry the pointers. */
typedef struct pl_cost pl_cost;
typedef struct pl_cost_terms pl_cost_terms;

typedef enum pl_event_kind {
    PL_EVENT_STAGE_BEGIN = 0, /* a named stage starts (stage set) */
    PL_EVENT_STAGE_END,       /* a named stage ended */
    PL_EVENT_ITERATION,       /* one iteration of a search or training loop (iteration set) */
    PL_EVENT_PLACEMENT_DONE,  /* a complete placement is in the netlist (and the cost, if any) */
    PL_EVENT_NKINDS
} pl_event_kind;

/* Bit for a kind, for sinks that filter: PL_EVENT_BIT(PL_EVENT_PLACEMENT_DONE). */
#define PL_EVENT_BIT(kind) (1u << (unsigned)(kind))

typedef struct pl_event {
    pl_event_kind kind;
    const pl_netlist *nl;       /* the design, current placement; NULL if none */
    const pl_cost *cost;        /* up to date (pl_cost_full or terms_get ran), or NULL */
    const pl_cost_terms *terms; /* the cost's terms, or NULL */
    const char *stage;          /* "place", "train", "legalize"... or NULL */
    int64_t iteration;          /* -1 when not an iteration */
    uint64_t seed;              /* the run's seed (has_seed says whether it is known) */
    int has_seed;
} pl_event;

/* An event with kind set, pointers NULL, iteration -1, no seed. */
pl_event pl_event_make(pl_event_kind kind);
/* "stage_begin", "stage_end", "iteration", "placement_done". */
const char *pl_event_kind_name(pl_event_kind kind);

typedef pl_status (*pl_event_fn)(void *user, const pl_event *ev);

typedef struct pl_event_sink {
    pl_event_fn fn;
    void *user;
} pl_event_sink;

enum { PL_EVENT_MAX_SINKS = 8 };

typedef struct pl_event_bus {
    pl_event_sink sinks[PL_EVENT_MAX_SINKS];
    int nsinks;
} pl_event_bus;

void pl_event_bus_init(pl_event_bus *bus);
pl_status pl_event_bus_subscribe(pl_event_bus *bus, pl_event_sink sink);
/* Calls every sink; returns PL_OK or the first failing sink's status (its message recorded). */
pl_status pl_event_bus_publish(const pl_event_bus *bus, const pl_event *ev);

#endif
