/* piiscan/finding.h - what a scan reports: findings, warnings, file events.
 *
 * Everything handed to the callback is a read-only view, borrowed for the
 * duration of the call (like a libarchive entry or a YARA match): copy what you
 * keep. Values are in clear here; masking happens at the report boundary.
 * The callback runs on the worker thread that produced the event.
 */
#ifndef PIISCAN_FINDING_H
#define PIISCAN_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Categories, in the order of DESIGN.md. Names are stable once released. */
typedef enum piiscan_category {
    PIISCAN_CAT_SSN = 0,
    PIISCAN_CAT_DOB,
    PIISCAN_CAT_NAME,
    PIISCAN_CAT_SALARY,
    PIISCAN_CAT_EMAIL,
    PIISCAN_CAT_PHONE,
    PIISCAN_CAT_CREDIT_CARD,
    PIISCAN_CAT_ITIN,
    PIISCAN_CAT_BANK_ACCOUNT,
    PIISCAN_CAT_DRIVERS_LICENSE,
    PIISCAN_CAT_PASSPORT,
    PIISCAN_CAT_ADDRESS,
    PIISCAN_CAT_COUNT
} piiscan_category;

/* "ssn", "dob", ... ; NULL for an out-of-range value. */
const char *piiscan_category_name(piiscan_category cat);
/* Inverse of piiscan_category_name; -1 when the name is unknown. */
int piiscan_category_from_name(const char *name);

typedef struct piiscan_finding {
    piiscan_category category;
    const char *rule_id;     /* id of the rule that matched, e.g. "ssn.formatted" */
    double confidence;       /* 0.00 - 1.00 */
    const char *lpath;       /* logical path: "dump.tar.gz!hr/payroll.zip!2014/pay.csv" */
    uint64_t line;           /* 1-based line, or row number for tables; 0 = no meaning */
    const char *field;       /* column header or JSON key the value sat under; NULL if none */
    uint64_t offset;         /* byte offset of the value in the unit stream of lpath */
    const char *value;       /* matched text, UTF-8, NUL-terminated */
    size_t value_len;
    const char *normalized;  /* canonical form for dedupe: ssn digits "123456789", dob
                                "1967-04-12", name "amy pascal", email lower-case, salary
                                "3000000.00"; NUL-terminated, never NULL (may equal value) */
    const char *context;     /* short window around the value, UTF-8, NUL-terminated */
    size_t context_len;
    size_t value_in_context; /* byte offset of the value inside context */
    uint64_t record;         /* record id within lpath: table row, JSON object, paragraph */
} piiscan_finding;

typedef struct piiscan_warning {
    const char *lpath;       /* what could not be read (fully) */
    int status;              /* a piiscan_status: ECORRUPT, ELIMIT, EENCRYPTED, EIO, ... */
    const char *message;     /* reason, e.g. "skipped: expands past 1 GiB (--max-expand)" */
    bool is_partial;         /* true when part of the file was scanned before the failure */
} piiscan_warning;

typedef struct piiscan_file_info {
    const char *lpath;
    const char *mime;        /* libmagic MIME type, e.g. "text/plain", "application/zip" */
    const char *charset;     /* libmagic / BOM charset, e.g. "utf-16le"; "" if not text */
    const char *format;      /* extractor that opened it: "text", "archive", "xlsx", ...;
                                "binary" when skipped as binary */
    uint64_t bytes;          /* bytes read from this file (FILE_END); 0 at FILE_BEGIN */
    unsigned depth;          /* 0 for a path on the command line or found by the walk */
    bool is_container;       /* archive or container whose members get their own events */
    bool is_skipped;         /* not scanned (binary with no text format, excluded type) */
} piiscan_file_info;

typedef enum piiscan_event_kind {
    PIISCAN_EV_FINDING = 0,
    PIISCAN_EV_WARNING,
    PIISCAN_EV_FILE_BEGIN,
    PIISCAN_EV_FILE_END
} piiscan_event_kind;

typedef struct piiscan_event {
    piiscan_event_kind kind;
    const piiscan_finding *finding;   /* PIISCAN_EV_FINDING */
    const piiscan_warning *warning;   /* PIISCAN_EV_WARNING */
    const piiscan_file_info *file;    /* PIISCAN_EV_FILE_BEGIN / _END */
} piiscan_event;

enum { PIISCAN_CONTINUE = 0, PIISCAN_ABORT = 1 };

/* Called for every event, on the worker thread that produced it. Return
 * PIISCAN_CONTINUE, or PIISCAN_ABORT to stop the scan (it then returns EABORTED). */
typedef int (*piiscan_callback)(const piiscan_event *ev, void *user);

#endif
