/* util/limits.h - every numeric ceiling in one place (YARA's limits.h).
 *
 * Leaked data is hostile: every loop over input and every buffer that grows
 * from input has one of these bounds. Hitting a bound is a warning for that
 * member (naming the bound), never a crash and never the end of the scan.
 * Those with a command-line option are defaults of piiscan_options.
 */
#ifndef PS_UTIL_LIMITS_H
#define PS_UTIL_LIMITS_H

#define PS_KIB (1024ULL)
#define PS_MIB (1024ULL * 1024ULL)
#define PS_GIB (1024ULL * 1024ULL * 1024ULL)

/* archives (piiscan_options defaults) */
#define PS_DEFAULT_MAX_DEPTH 8u                   /* --max-depth */
#define PS_DEFAULT_MAX_MEMBER_BYTES (8ULL * PS_GIB) /* expanded bytes of one member */
#define PS_DEFAULT_MAX_FILE_BYTES (64ULL * PS_GIB)  /* expanded bytes under one top-level file */
#define PS_DEFAULT_MAX_RATIO 200u                 /* expanded / compressed, per member */
#define PS_RATIO_GRACE_BYTES (16ULL * PS_MIB)     /* ratio is checked past this many bytes */
#define PS_DEFAULT_MAX_ENTRIES 1000000ULL         /* entries per archive */
#define PS_DEFAULT_MAX_BUFFER_BYTES (512ULL * PS_MIB) /* formats read whole (zip, xlsx, pdf) */

/* text */
#define PS_CHUNK_BYTES (256u * 1024u)            /* reportable bytes per TEXT unit */
#define PS_MAX_LINE_BYTES (1024u * 1024u)          /* a table line longer than this is cut */
#define PS_PARA_MAX_LINES 12u                      /* a longer text paragraph: one record per line */
#define PS_PARA_LOOKAHEAD (4u * 1024u)             /* min look-ahead of a TEXT chunk (paragraph ends) */

/* tables and structured formats */
#define PS_MAX_CELLS 4096u                         /* cells per row */
#define PS_MAX_CELL_BYTES (64u * 1024u)            /* bytes per cell */
#define PS_MAX_NESTING 256u                        /* JSON / XML nesting */
#define PS_MAX_ROWS 100000000ULL                   /* rows per table */

/* rules */
#define PS_MAX_RULES 1024u
#define PS_MAX_RULE_FILE_BYTES (16u * 1024u * 1024u)
#define PS_CONTEXT_BYTES 60u                       /* context shown each side of a value */

#endif
