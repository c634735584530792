/* extract/text.h - the plain-text extractor (any charset sniff/ recognises). */
#ifndef PS_EXTRACT_TEXT_H
#define PS_EXTRACT_TEXT_H

#include "extract/registry.h"

/* Bids 10 on any kind with is_text; decodes to UTF-8 and scans it in chunks. */
extern const struct ps_extractor ps_text_extractor;

#endif
