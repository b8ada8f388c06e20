/* report.h: the report pieces that more than one command prints, one definition each.
 *
 * The full-design figures of gplace/full.h (`placer eval --full`, `placer place --place-cells`)
 * as a JSON object (keys: cells, hpwl_um, hpwl_dbu, global_hpwl_um, legalized, global{...},
 * legal{...} when legalised, route{...}) and as text lines. The JSON has no seconds, so the same
 * inputs give the same bytes; the text gives the time of each step. The caller owns the returned
 * tree (json_object_put). No state; thread-safe.
 */
#ifndef PL_PLACER_REPORT_H
#define PL_PLACER_REPORT_H

#include <stdio.h>

#include "core/json.h"
#include "gplace/full.h"

/* fs as a JSON object. */
json_object *pl_report_full_json(const pl_full_stats *fs);

/* fs as three or four lines on out, each label left-aligned in a field of label_width characters. */
void pl_report_full_print(FILE *out, const pl_full_stats *fs, int label_width);

#endif
