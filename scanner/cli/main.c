/* cli/main.c - piiscan's entry point: argv -> ps_run() -> exit status.
 *
 * The only place that calls exit(). Usage errors print one line and a hint on
 * stderr and exit 2; --help and --version print on stdout and exit 0. SIGPIPE is
 * ignored so that "piiscan ... | head" ends with a write error (exit 2) instead of
 * a signal, and a report cut short is never mistaken for a complete one.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/args.h"
#include "cli/run.h"
#include "piiscan_config.h"
#include "report/out.h"

int main(int argc, char **argv)
{
    struct ps_args args;
    char err[512];

    signal(SIGPIPE, SIG_IGN);
#ifdef __GLIBC__
    /* Blocks of 1 MiB and more (the people store's tables, growing maps) are
     * mapped and go back to the system when freed. glibc's default threshold
     * rises with each such free, after which they land in per-thread arenas that
     * keep freed memory: a 2 GiB dump with 1.6 million people peaked at 103 MiB
     * instead of 89 (bench/throughput.sh --large-fresh-mb). */
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
#endif
    if (ps_args_parse(argc, argv, &args, err, sizeof err) != PIISCAN_OK) {
        fputs("piiscan: ", stderr);
        ps_out_clean(stderr, err);
        fputs("\nTry 'piiscan --help' for more information.\n", stderr);
        exit(PS_EXIT_FATAL);
    }
    if (args.show_help) {
        fputs(ps_args_usage(), stdout);
        exit(fflush(stdout) == 0 ? PS_EXIT_CLEAN : PS_EXIT_FATAL);
    }
    if (args.show_version) {
        printf("piiscan %s\n", PIISCAN_VERSION);
        exit(fflush(stdout) == 0 ? PS_EXIT_CLEAN : PS_EXIT_FATAL);
    }
    exit(ps_run(&args));
}
