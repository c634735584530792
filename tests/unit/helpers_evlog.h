/* helpers_evlog.h - the real pipeline seen as lines of text, for format tests that
 * scan a file or a buffer through the public API with the real rules and assert
 * exactly the events under a logical-path prefix:
 *   "B <depth> <lpath> <format>"   FILE_BEGIN
 *   "F ssn <value> L<line> <lpath>" SSN findings (other categories depend on rules
 *                                  outside the module under test and are left out)
 *   "W <lpath> <status>[ partial]: <message>"
 *   "E <lpath>"                    FILE_END
 */
#ifndef PS_TEST_HELPERS_EVLOG_H
#define PS_TEST_HELPERS_EVLOG_H

#include <stddef.h>

#include "piiscan/piiscan.h"

struct evlog {
    const char *prefix;  /* only events whose lpath starts with it */
    const char *exclude; /* ... and not with this one (or NULL) */
    char lines[64][300];
    size_t n;
};

/* The piiscan_callback that fills an evlog (user = the evlog). */
int evlog_on_event(const piiscan_event *ev, void *user);
/* Scans path (reported as lpath) / a NUL-terminated buffer into l. */
void evlog_scan_path(const piiscan_rules *rules, const char *path, const char *lpath,
                     struct evlog *l);
void evlog_scan_buf(const piiscan_rules *rules, const char *lpath, const char *buf,
                    struct evlog *l);
/* Asserts l holds exactly want[0..n), printing what it holds when it does not. */
void evlog_expect(const struct evlog *l, const char *const *want, size_t n);

#endif
