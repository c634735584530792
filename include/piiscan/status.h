/* piiscan/status.h - the one error enum of the library.
 *
 * Numbers never change and are never reused; new values are appended before
 * PIISCAN_STATUS_COUNT. Three tiers, as in libarchive: OK; member failures
 * (ECORRUPT, ELIMIT, EENCRYPTED, EUNSUPPORTED, EIO on one file) that become a
 * WARNING event while the scan goes on; fatal errors (ENOMEM, ERULES, EINVAL on
 * the call itself) that unwind to the caller.
 */
#ifndef PIISCAN_STATUS_H
#define PIISCAN_STATUS_H

typedef enum piiscan_status {
    PIISCAN_OK = 0,
    PIISCAN_ENOMEM = 1,
    PIISCAN_EIO = 2,
    PIISCAN_EINVAL = 3,
    PIISCAN_ERULES = 4,
    PIISCAN_ECORRUPT = 5,
    PIISCAN_ELIMIT = 6,
    PIISCAN_EENCRYPTED = 7,
    PIISCAN_EUNSUPPORTED = 8,
    PIISCAN_EABORTED = 9,
    PIISCAN_STATUS_COUNT
} piiscan_status;

/* Static English text for a status ("corrupt data", "limit reached", ...). Never NULL. */
const char *piiscan_strerror(piiscan_status st);

#endif
