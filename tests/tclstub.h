/* tclstub.h: sources a placement Tcl script (parsers/tcl_write.h) in tclsh against a stub of OpenROAD's
 * place_macro that prints one line per call: "X Y ORIENT FLAGS NAME" (FLAGS: the flags given, comma-
 * separated, or "-"; NAME last, byte for byte). Any other argument, a missing value or a location that
 * is not two numbers is a Tcl error (exit status 1). Header-only, for the Criterion tests. */
#ifndef PL_TEST_TCLSTUB_H
#define PL_TEST_TCLSTUB_H

#include "tests/testutil.h"

static inline int pl_test_have_tclsh(void)
{
    return system("command -v tclsh >/dev/null 2>&1") == 0;
}

/* Runs the stub on script; *out gets the printed lines (malloc'd). Returns tclsh's exit status. */
static inline int pl_test_tcl_calls(const char *script, char **out, char **err)
{
    const char *dir = pl_test_tmpdir();
    char stub[512], cmd[2048];
    snprintf(stub, sizeof stub, "%s/stub.tcl", dir);
    FILE *f = fopen(stub, "w");
    cr_assert_not_null(f);
    fputs("fconfigure stdout -translation binary\n"
          "proc place_macro {args} {\n"
          "  set name {}; set loc {}; set o {}; set flags {}\n"
          "  for {set i 0} {$i < [llength $args]} {incr i} {\n"
          "    set a [lindex $args $i]\n"
          "    switch -exact -- $a {\n"
          "      -macro_name - -location - -orientation {\n"
          "        if {$i + 1 >= [llength $args]} {error \"$a without a value\"}\n"
          "        incr i; set v($a) [lindex $args $i]\n"
          "      }\n"
          "      -exact - -allow_overlap {lappend flags $a}\n"
          "      default {error \"unexpected argument $a\"}\n"
          "    }\n"
          "  }\n"
          "  foreach k {-macro_name -location -orientation} {\n"
          "    if {![info exists v($k)]} {error \"no $k\"}\n"
          "  }\n"
          "  set loc $v(-location)\n"
          "  if {[llength $loc] != 2 || ![string is double -strict [lindex $loc 0]]\n"
          "      || ![string is double -strict [lindex $loc 1]]} {error \"bad location $loc\"}\n"
          "  if {$flags eq {}} {set flags -}\n"
          "  puts \"[lindex $loc 0] [lindex $loc 1] $v(-orientation) [join $flags ,] $v(-macro_name)\"\n"
          "}\n"
          "source [lindex $argv 0]\n",
          f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "tclsh %s %s", stub, script);
    return pl_test_run(cmd, out, err);
}

#endif
