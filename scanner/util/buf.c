/* util/buf.c - capped growable buffer.
 *
 * Growth doubles the allocation (amortised O(1) appends) but never beyond
 * max + 1 (one byte for the terminating NUL), so a hostile input can make the
 * buffer reach its cap and no further. Failures leave the buffer intact.
 */
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

void ps_buf_init(struct ps_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

piiscan_status ps_buf_reserve(struct ps_buf *b, size_t extra)
{
    size_t need = 0;
    size_t ncap = 0;
    char *p = NULL;

    if (extra > b->max || b->len > b->max - extra)
        return PIISCAN_ELIMIT;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return PIISCAN_OK;
    ncap = b->cap != 0 ? b->cap : 256;
    while (ncap < need)
        ncap = (ncap > SIZE_MAX / 2) ? need : ncap * 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    p = realloc(b->data, ncap);
    if (p == NULL)
        return PIISCAN_ENOMEM;
    b->data = p;
    b->cap = ncap;
    return PIISCAN_OK;
}

piiscan_status ps_buf_append(struct ps_buf *b, const void *p, size_t n)
{
    piiscan_status rc = ps_buf_reserve(b, n);
    if (rc != PIISCAN_OK)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return PIISCAN_OK;
}

void ps_buf_reset(struct ps_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

char *ps_buf_take(struct ps_buf *b, size_t *len)
{
    char *p = b->data;
    if (p == NULL) {
        p = malloc(1);
        if (p != NULL)
            p[0] = '\0';
    }
    if (len != NULL)
        *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

void ps_buf_free(struct ps_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}
