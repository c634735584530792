/* cli/run.h - one run of piiscan: rules, worker pool, walk, reports.
 *
 * ps_run() does everything the parsed command line asks for and returns the exit
 * status (0 no findings, 1 findings reported, 2 usage or fatal error). It prints
 * fatal errors on stderr itself; it never calls exit() (main.c does).
 */
#ifndef PS_CLI_RUN_H
#define PS_CLI_RUN_H

#include "cli/args.h"

enum { PS_EXIT_CLEAN = 0, PS_EXIT_FINDINGS = 1, PS_EXIT_FATAL = 2 };

int ps_run(const struct ps_args *a);

/* The rules directory to use: a->rules_dir, else the installed PIISCAN_RULES_DIR when
 * it exists, else the source tree's rules/ (a build that was never installed). */
const char *ps_run_rules_dir(const struct ps_args *a);

#endif
