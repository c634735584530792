/* pipeline/stream.c - memory streams, slurping and head replay.
 *
 * Streams are pulled block by block; nothing here reads a whole input unless
 * asked to (ps_stream_slurp, always with a cap). The peek stream lets the
 * dispatcher sniff the head of a stream and hand the extractor a stream that
 * still starts at byte 0, without re-reading or seeking the source.
 */
#include "pipeline/peek.h"
#include "pipeline/stream.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* A memory stream hands out the rest of its buffer in one block. */
static piiscan_status mem_next(void *h, const void **buf, size_t *len)
{
    struct ps_mem_stream *m = h;
    *buf = m->buf + m->pos;
    *len = m->len - m->pos;
    m->pos = m->len;
    return PIISCAN_OK;
}

void ps_mem_stream_init(struct ps_mem_stream *m, const void *buf, size_t len, struct ps_stream *out)
{
    m->buf = buf;
    m->len = len;
    m->pos = 0;
    out->next = mem_next;
    out->h = m;
    out->size_hint = len;
}

piiscan_status ps_stream_slurp(struct ps_stream *in, uint64_t cap, char **out, size_t *len)
{
    piiscan_status rc = PIISCAN_OK;
    struct ps_buf b;
    size_t max = cap > (uint64_t)SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t)cap;

    *out = NULL;
    *len = 0;
    ps_buf_init(&b, max);
    /* Every block is non-empty until the end, so this loop ends when the stream
     * does or the cap is met. */
    for (;;) {
        const void *blk = NULL;
        size_t n = 0;
        rc = in->next(in->h, &blk, &n);
        if (rc != PIISCAN_OK || n == 0)
            break;
        rc = ps_buf_append(&b, blk, n);
        if (rc != PIISCAN_OK)
            break;
    }
    if (rc != PIISCAN_OK) {
        ps_buf_free(&b);
        return rc;
    }
    *out = ps_buf_take(&b, len);
    return *out != NULL ? PIISCAN_OK : PIISCAN_ENOMEM;
}

static piiscan_status peek_next(void *h, const void **buf, size_t *len)
{
    struct ps_peek *p = h;
    *buf = NULL;
    *len = 0;
    /* States fall through when a part is empty; 4 steps at most. */
    for (int guard = 0; guard < 4; guard++) {
        switch (p->state) {
        case 0:
            p->state = 1;
            if (p->head_len > 0) {
                *buf = p->head;
                *len = p->head_len;
                p->consumed += *len;
                return PIISCAN_OK;
            }
            break;
        case 1:
            p->state = 2;
            if (p->tail_len > 0) {
                *buf = p->tail;
                *len = p->tail_len;
                p->consumed += *len;
                return PIISCAN_OK;
            }
            break;
        case 2:
            if (p->src_rc != PIISCAN_OK) {
                p->state = 3;
                return p->src_rc;
            }
            if (p->src == NULL) {
                p->state = 3;
                return PIISCAN_OK;
            }
            {
                piiscan_status rc = p->src->next(p->src->h, buf, len);
                if (rc != PIISCAN_OK || *len == 0)
                    p->state = 3;
                if (rc != PIISCAN_OK && p->src_fail == PIISCAN_OK)
                    p->src_fail = rc;
                p->consumed += *len;
                return rc;
            }
        default:
            return PIISCAN_OK;
        }
    }
    return PIISCAN_OK;
}

void ps_peek_init(struct ps_peek *p, struct ps_stream *src, char *buf, size_t cap,
                  struct ps_stream *out)
{
    size_t have = 0;

    memset(p, 0, sizeof(*p));
    p->src = src;
    /* Pull until the head is full or the source ends; each pull advances. */
    while (have < cap) {
        const void *blk = NULL;
        size_t n = 0;
        piiscan_status rc = src->next(src->h, &blk, &n);
        if (rc != PIISCAN_OK) {
            p->src_rc = rc;
            p->src_fail = rc;
            break;
        }
        if (n == 0) {
            p->src = NULL; /* ended: do not call next() again after end */
            break;
        }
        size_t take = n < cap - have ? n : cap - have;
        memcpy(buf + have, blk, take);
        have += take;
        if (take < n) {
            p->tail = (const char *)blk + take;
            p->tail_len = n - take;
        }
    }
    p->head = buf;
    p->head_len = have;
    out->next = peek_next;
    out->h = p;
    out->size_hint = src->size_hint;
}

void ps_peek_prefix(struct ps_peek *p, struct ps_stream *src, const char *buf, size_t len,
                    struct ps_stream *out)
{
    memset(p, 0, sizeof(*p));
    p->src = src;
    p->head = buf;
    p->head_len = len;
    out->next = peek_next;
    out->h = p;
    out->size_hint = src != NULL ? src->size_hint : len;
}
