/* piiscan/piiscan.h - umbrella header of the piiscan library.
 *
 * Scan a buffer in ten lines:
 *
 *   piiscan_rules *rules = NULL; piiscan_scanner *sc = NULL; piiscan_diag diag;
 *   piiscan_options opt; piiscan_options_init(&opt);
 *   if (piiscan_rules_load("rules", &rules, &diag) != PIISCAN_OK) goto out;
 *   if (piiscan_scanner_new(rules, &opt, &sc) != PIISCAN_OK) goto out;
 *   rc = piiscan_scan_buffer(sc, "memo.txt", buf, len, on_event, &ctx);
 *   out:
 *   piiscan_scanner_free(sc);
 *   piiscan_rules_free(rules);
 */
#ifndef PIISCAN_PIISCAN_H
#define PIISCAN_PIISCAN_H

#include "piiscan/finding.h"
#include "piiscan/rules.h"
#include "piiscan/scan.h"
#include "piiscan/status.h"

/* "0.1.0" */
const char *piiscan_version(void);

#endif
