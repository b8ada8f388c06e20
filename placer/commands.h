/* commands.h: the subcommands of `placer`. Each takes the arguments after its name
 * (argv[0] is the command name), writes results to stdout and progress to stderr, and returns
 * a pl_status; only main.c turns a failure into a message and an exit code. `--help` on any
 * command prints its usage and returns PL_OK.
 */
#ifndef PL_COMMANDS_H
#define PL_COMMANDS_H

#include "core/status.h"

pl_status pl_cmd_info(int argc, char **argv);
pl_status pl_cmd_gen(int argc, char **argv);
pl_status pl_cmd_eval(int argc, char **argv);
pl_status pl_cmd_cluster(int argc, char **argv);
pl_status pl_cmd_render(int argc, char **argv);
pl_status pl_cmd_plot(int argc, char **argv);
pl_status pl_cmd_place(int argc, char **argv);
pl_status pl_cmd_train(int argc, char **argv);

#endif
