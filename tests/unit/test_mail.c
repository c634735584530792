/* test_mail.c - the mail parsing core (extract/mail.c, mail_html.c, mail_stream.c).
 *
 * Fixtures are written by tests/gen/docs/gen_docs.py (Python's email and
 * mailbox packages) into the build tree before this test runs (CTest fixture
 * "docs"). Every test records the sink's calls and asserts them exactly:
 * labels, rendered texts, attachment bytes, warnings - and what must not be
 * there (script, style and comment content of HTML, nested-too-deep messages).
 * Streams are fed in small odd-sized blocks so the GMimeStream adapter is
 * exercised across block boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_evlog.h"

#include "extract/mail.h"
#include "piiscan/piiscan.h"

#define FIXTURES PIISCAN_TEST_BUILD_DIR "/fixtures/docs/mail/"

/* ---- a ps_stream over memory, in blocks of `step` bytes ---------------------------- */

struct blocks {
    const char *buf;
    size_t len;
    size_t pos;
    size_t step;
    piiscan_status fail_at_end; /* returned instead of the end of the stream */
};

static piiscan_status blocks_next(void *h, const void **buf, size_t *len)
{
    struct blocks *b = h;
    size_t n = b->len - b->pos;

    if (n == 0 && b->fail_at_end != PIISCAN_OK)
        return b->fail_at_end;
    if (n > b->step)
        n = b->step;
    *buf = b->buf + b->pos;
    *len = n;
    b->pos += n;
    return PIISCAN_OK;
}

/* ---- recording sink ---------------------------------------------------------------- */

enum ev_kind { EV_TEXT, EV_ATT, EV_WARN };

struct ev {
    enum ev_kind kind;
    char *label;
    char *data;
    size_t len;
    uint64_t record;
    piiscan_status st;
    bool partial;
    uint64_t *lines; /* EV_TEXT: file line of each rendered line */
    size_t nlines;
};

struct rec {
    struct ev ev[64];
    size_t n;
    size_t abort_after; /* return EABORTED from the n-th event (1-based), 0 = never */
};

static piiscan_status rec_add(struct rec *r, enum ev_kind k, const char *label, const char *d,
                              size_t len, uint64_t record, piiscan_status st, bool partial)
{
    struct ev *e;

    assert_true(r->n < 64);
    e = &r->ev[r->n++];
    e->kind = k;
    e->label = strdup(label);
    e->data = malloc(len + 1);
    memcpy(e->data, d, len);
    e->data[len] = '\0';
    e->len = len;
    e->record = record;
    e->st = st;
    e->partial = partial;
    e->lines = NULL;
    e->nlines = 0;
    return (r->abort_after && r->n >= r->abort_after) ? PIISCAN_EABORTED : PIISCAN_OK;
}

static piiscan_status on_text(void *ctx, const char *label, const char *text, size_t len,
                              uint64_t record, const struct ps_mail_linemap *lines)
{
    struct rec *r = ctx;
    piiscan_status rc = rec_add(ctx, EV_TEXT, label, text, len, record, PIISCAN_OK, false);
    struct ev *e = &r->ev[r->n - 1];

    /* The file line of every rendered line, for the line tests. */
    e->nlines = 1;
    for (size_t i = 0; i < len; i++)
        e->nlines += text[i] == '\n';
    e->lines = calloc(e->nlines, sizeof *e->lines);
    for (size_t i = 0; i < e->nlines; i++) {
        e->lines[i] = ps_mail_linemap_line(lines, i);
        /* Never before the previous line: a map only goes forward. */
        assert_true(e->lines[i] >= 1);
        assert_true(i == 0 || e->lines[i] >= e->lines[i - 1]);
    }
    return rc;
}

static piiscan_status on_att(void *ctx, const char *label, const char *buf, size_t len)
{
    return rec_add(ctx, EV_ATT, label, buf, len, 0, PIISCAN_OK, false);
}

static piiscan_status on_warn(void *ctx, const char *label, piiscan_status st, bool partial,
                              const char *msg)
{
    return rec_add(ctx, EV_WARN, label, msg, strlen(msg), 0, st, partial);
}

static void rec_free(struct rec *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->ev[i].label);
        free(r->ev[i].data);
        free(r->ev[i].lines);
    }
    r->n = 0;
}

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    char *buf;
    long sz;

    snprintf(path, sizeof path, "%s%s", FIXTURES, name);
    f = fopen(path, "rb");
    if (!f)
        fail_msg("fixture %s missing (run the gen.docs test first)", path);
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)sz + 1);
    assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *len = (size_t)sz;
    return buf;
}

static piiscan_status parse_buf_lim(const char *buf, size_t len, size_t step,
                                    enum ps_mail_format fmt, const struct ps_mail_limits *lim,
                                    struct rec *r)
{
    struct blocks b = {buf, len, 0, step, PIISCAN_OK};
    struct ps_stream st = {blocks_next, &b, 0};
    struct ps_mail_sink sink = {r, on_text, on_att, on_warn};

    return ps_mail_parse(&st, fmt, lim, &sink);
}

static piiscan_status parse_buf(const char *buf, size_t len, size_t step, enum ps_mail_format fmt,
                                struct rec *r)
{
    struct ps_mail_limits lim;

    ps_mail_limits_init(&lim, 1 << 20);
    return parse_buf_lim(buf, len, step, fmt, &lim, r);
}

static void parse_fixture(const char *name, enum ps_mail_format fmt, struct rec *r)
{
    size_t len;
    char *buf = slurp(name, &len);

    assert_int_equal(parse_buf(buf, len, 7, fmt, r), PIISCAN_OK);
    free(buf);
}

static void expect_ev(const struct rec *r, size_t i, enum ev_kind k, const char *label,
                      const char *data)
{
    assert_true(i < r->n);
    assert_int_equal(r->ev[i].kind, k);
    assert_string_equal(r->ev[i].label, label);
    assert_string_equal(r->ev[i].data, data);
}

/* ---- fixtures from Python's email / mailbox ---------------------------------------- */

static void test_eml_qp_rfc2047(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("memo.eml", PS_MAIL_MESSAGE, &r);
    assert_int_equal(r.n, 1);
    expect_ev(&r, 0, EV_TEXT, "",
              "From: Amy Pascal <amy.pascal@sony.example>\n"
              "To: HR Team <hr@sony.example>\n"
              "Cc: Jos\xc3\xa9 N\xc3\xba\xc3\xb1"
              "ez <jose.nunez@sony.example>\n"
              "Subject: Gehalts\xc3\xbc"
              "bersicht \xe2\x80\x93 vertraulich\n"
              "\n"
              "Gr\xc3\xbc\xc3\x9f"
              "e aus Culver City.\n"
              "Please update the record for Amy Pascal, SSN 471-83-2265, born 04/12/1967. "
              "This sentence is long enough that quoted-printable must wrap it with a soft "
              "line break somewhere in the middle.\n");
    assert_int_equal(r.ev[0].record, 1);
    /* Transport fields are not rendered. */
    assert_null(strstr(r.ev[0].data, "Date:"));
    assert_null(strstr(r.ev[0].data, "Content-Transfer-Encoding"));
    rec_free(&r);
}

static const char *const exec_texts[] = {
    "From: John Smith <john.smith@sony.example>\nTo: payroll@sony.example\n"
    "Subject: plain note\n\nJohn Smith DOB 1970-01-31\n",
    "From: payroll@sony.example\nTo: hr@sony.example\nSubject: latin-1 base64\n\n"
    "Frau M\xc3\xbcller, Gehalt 85.000 EUR\n",
    "From: hr@sony.example\nTo: all@sony.example\nSubject: alternative\n\n"
    "Dear team,\nRen\xc3\xa9"
    "e Zellweger 602-37-1845\n\n"
    "Dear team,\nName\tSSN\nRen\xc3\xa9"
    "e Zellweger\t602-37-1845\nFish & Chips <3",
    "From: Amy Pascal <amy.pascal@sony.example>\nTo: cfo@sony.example\n"
    "Subject: payroll attached\n\nSee attached.\n",
};

static const char payroll_csv[] = "name,ssn,dob,salary\r\n"
                                  "Amy Pascal,471-83-2265,1967-04-12,3000000\r\n"
                                  "John Smith,318-44-9021,1970-01-31,85000\r\n";

static void check_exec_mbox(const struct rec *r)
{
    assert_int_equal(r->n, 9);
    expect_ev(r, 0, EV_TEXT, "msg-0001", exec_texts[0]);
    expect_ev(r, 1, EV_TEXT, "msg-0002", exec_texts[1]);
    expect_ev(r, 2, EV_TEXT, "msg-0003", exec_texts[2]);
    expect_ev(r, 3, EV_TEXT, "msg-0004", exec_texts[3]);
    expect_ev(r, 4, EV_ATT, "msg-0004!payroll.csv", payroll_csv);
    expect_ev(r, 5, EV_TEXT, "msg-0005",
              "From: amy.pascal@sony.example\nTo: cfo@sony.example\n"
              "Subject: Fwd: W-2 forms\n\nForwarding.\n");
    expect_ev(r, 6, EV_TEXT, "msg-0005!message-1",
              "From: legal@sony.example\nTo: amy.pascal@sony.example\n"
              "Subject: W-2 forms\n\nW-2 for Maria Garcia attached.\n");
    expect_ev(r, 7, EV_ATT, "msg-0005!message-1!w2.tsv", "Maria Garcia\t318-44-9021\n");
    expect_ev(r, 8, EV_TEXT, "msg-0006",
              "From: hr@sony.example\nTo: all@sony.example\nSubject: html only\n\n"
              "Bonus: $250,000 for Jane Doe");
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(r->ev[i].record, i + 1);
    assert_int_equal(r->ev[6].record, 1); /* the nested message is its own record */
    assert_int_equal(r->ev[8].record, 6);
    /* Decoys in the HTML: script, style and comment content is dropped. */
    assert_null(strstr(r->ev[2].data, "233-19-4872"));
    assert_null(strstr(r->ev[2].data, "388-27-5561"));
    assert_null(strstr(r->ev[2].data, "color"));
}

static void test_mbox_messages_and_attachments(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("exec.mbox", PS_MAIL_MBOX, &r);
    check_exec_mbox(&r);
    rec_free(&r);
}

/* Block size must not matter: 1 byte at a time, odd sizes, the whole file at once. */
static void test_mbox_block_sizes(void **state)
{
    static const size_t steps[] = {1, 3, 4095, 4096, 4097, 1 << 20};
    size_t len;
    char *buf = slurp("exec.mbox", &len);

    (void)state;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        struct rec r = {0};
        assert_int_equal(parse_buf(buf, len, steps[i], PS_MAIL_MBOX, &r), PIISCAN_OK);
        check_exec_mbox(&r);
        rec_free(&r);
    }
    free(buf);
}

static void test_broken_boundary_eml(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("broken.eml", PS_MAIL_MESSAGE, &r);
    assert_int_equal(r.n, 3);
    expect_ev(&r, 0, EV_TEXT, "",
              "From: hr@sony.example\nTo: cfo@sony.example\nSubject: broken\n\n"
              "Readable part: Amy Pascal 471-83-2265\n");
    /* The attachment is cut where the message ends; what decoded is handed out. */
    assert_int_equal(r.ev[1].kind, EV_ATT);
    assert_string_equal(r.ev[1].label, "big.csv");
    assert_true(r.ev[1].len > sizeof payroll_csv);
    assert_memory_equal(r.ev[1].data, payroll_csv, sizeof payroll_csv - 1);
    expect_ev(&r, 2, EV_WARN, "", "broken MIME: truncated message (closing boundary missing)");
    assert_int_equal(r.ev[2].st, PIISCAN_ECORRUPT);
    assert_true(r.ev[2].partial);
    rec_free(&r);
}

/* A broken message in an mbox does not hide the next one. */
static void test_broken_boundary_mbox(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("broken.mbox", PS_MAIL_MBOX, &r);
    assert_int_equal(r.n, 4);
    expect_ev(&r, 0, EV_TEXT, "msg-0001",
              "From: hr@sony.example\nTo: cfo@sony.example\nSubject: broken\n\n"
              "Readable part: Amy Pascal 471-83-2265\n");
    assert_int_equal(r.ev[1].kind, EV_ATT);
    assert_string_equal(r.ev[1].label, "msg-0001!big.csv");
    assert_int_equal(r.ev[2].kind, EV_WARN);
    assert_string_equal(r.ev[2].label, "msg-0001");
    assert_int_equal(r.ev[2].st, PIISCAN_ECORRUPT);
    expect_ev(&r, 3, EV_TEXT, "msg-0002",
              "From: hr@sony.example\nTo: cfo@sony.example\nSubject: after the broken one\n\n"
              "Second message: Maria Garcia 318-44-9021\n\n");
    assert_int_equal(r.ev[3].record, 2);
    rec_free(&r);
}

/* ---- limits ------------------------------------------------------------------------ */

static void test_max_messages(void **state)
{
    struct ps_mail_limits lim;
    struct rec r = {0};
    size_t len;
    char *buf = slurp("exec.mbox", &len);

    (void)state;
    ps_mail_limits_init(&lim, 1 << 20);
    lim.max_messages = 2;
    assert_int_equal(parse_buf_lim(buf, len, 64, PS_MAIL_MBOX, &lim, &r), PIISCAN_OK);
    assert_int_equal(r.n, 3);
    expect_ev(&r, 0, EV_TEXT, "msg-0001", exec_texts[0]);
    expect_ev(&r, 1, EV_TEXT, "msg-0002", exec_texts[1]);
    expect_ev(&r, 2, EV_WARN, "", "more than 2 messages: the rest not scanned");
    assert_int_equal(r.ev[2].st, PIISCAN_ELIMIT);
    rec_free(&r);
    free(buf);
}

static void test_nesting_limit(void **state)
{
    struct ps_mail_limits lim;
    struct rec r = {0};
    size_t len;
    char *buf = slurp("exec.mbox", &len);

    (void)state;
    ps_mail_limits_init(&lim, 1 << 20);
    lim.max_nesting = 0;
    assert_int_equal(parse_buf_lim(buf, len, 64, PS_MAIL_MBOX, &lim, &r), PIISCAN_OK);
    assert_int_equal(r.n, 8);
    expect_ev(&r, 6, EV_WARN, "msg-0005!message-1",
              "attached message nested too deep: not scanned");
    for (size_t i = 0; i < r.n; i++)
        assert_null(strstr(r.ev[i].label, "w2.tsv"));
    rec_free(&r);
    free(buf);
}

/* One message larger than the cap: cut there, warned, earlier messages intact. */
static void test_message_cap(void **state)
{
    struct ps_mail_limits lim;
    struct rec r = {0};
    size_t len;
    char *buf = slurp("exec.mbox", &len);

    (void)state;
    ps_mail_limits_init(&lim, 700);
    assert_int_equal(parse_buf_lim(buf, len, 13, PS_MAIL_MBOX, &lim, &r), PIISCAN_OK);
    assert_true(r.n >= 2);
    expect_ev(&r, 0, EV_TEXT, "msg-0001", exec_texts[0]);
    assert_int_equal(r.ev[r.n - 1].kind, EV_WARN);
    assert_int_equal(r.ev[r.n - 1].st, PIISCAN_ELIMIT);
    assert_non_null(strstr(r.ev[r.n - 1].data, "larger than 700 bytes"));
    rec_free(&r);
    free(buf);
}

static void test_stream_failure(void **state)
{
    static const char msg[] = "From: a@b.example\nTo: c@d.example\nSubject: s\n\nbody 1\n";
    struct blocks b = {msg, sizeof msg - 1, 0, 5, PIISCAN_EIO};
    struct ps_stream st = {blocks_next, &b, 0};
    struct rec r = {0};
    struct ps_mail_sink sink = {&r, on_text, on_att, on_warn};
    struct ps_mail_limits lim;

    (void)state;
    ps_mail_limits_init(&lim, 1 << 20);
    assert_int_equal(ps_mail_parse(&st, PS_MAIL_MESSAGE, &lim, &sink), PIISCAN_OK);
    assert_int_equal(r.n, 2);
    expect_ev(&r, 0, EV_TEXT, "", "From: a@b.example\nTo: c@d.example\nSubject: s\n\nbody 1\n");
    assert_int_equal(r.ev[1].kind, EV_WARN);
    assert_int_equal(r.ev[1].st, PIISCAN_EIO);
    assert_true(r.ev[1].partial);
    rec_free(&r);
}

static void test_abort_stops(void **state)
{
    struct rec r = {0};
    size_t len;
    char *buf = slurp("exec.mbox", &len);

    (void)state;
    r.abort_after = 2;
    assert_int_equal(parse_buf(buf, len, 100, PS_MAIL_MBOX, &r), PIISCAN_EABORTED);
    assert_int_equal(r.n, 2);
    rec_free(&r);
    free(buf);
}

/* ---- hand-made messages ------------------------------------------------------------ */

static void parse_str(const char *s, enum ps_mail_format fmt, struct rec *r)
{
    assert_int_equal(parse_buf(s, strlen(s), 11, fmt, r), PIISCAN_OK);
}

static void test_undeclared_8bit_is_cp1252(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_str("From: a@b.example\nSubject: x\n\nFrau M\xfcller \x80 100\n", PS_MAIL_MESSAGE, &r);
    assert_int_equal(r.n, 1);
    expect_ev(&r, 0, EV_TEXT, "",
              "From: a@b.example\nSubject: x\n\nFrau M\xc3\xbcller \xe2\x82\xac 100\n");
    rec_free(&r);
}

static void test_label_sanitised(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_str("From: a@b.example\nMIME-Version: 1.0\n"
              "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
              "--b\nContent-Type: text/plain\n\nhi\n"
              "--b\nContent-Type: application/octet-stream\n"
              "Content-Disposition: attachment; filename=\"pay!roll.csv\"\n\nA,B\n"
              "--b\nContent-Type: image/png\n\nPNG\n"
              "--b\nContent-Type: text/plain\nContent-Disposition: attachment\n\nnotes\n"
              "--b--\n",
              PS_MAIL_MESSAGE, &r);
    assert_int_equal(r.n, 4);
    /* The line break before a boundary belongs to the boundary (RFC 2046). */
    expect_ev(&r, 0, EV_TEXT, "", "From: a@b.example\n\nhi");
    expect_ev(&r, 1, EV_ATT, "pay_roll.csv", "A,B");
    expect_ev(&r, 2, EV_ATT, "part-2", "PNG");
    expect_ev(&r, 3, EV_ATT, "part-3", "notes");
    rec_free(&r);
}

static void test_encrypted_part_warned(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_str("From: a@b.example\nMIME-Version: 1.0\n"
              "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
              "boundary=\"e\"\n\n"
              "--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n"
              "--e\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\n"
              "--e--\n",
              PS_MAIL_MESSAGE, &r);
    assert_true(r.n >= 2);
    expect_ev(&r, 1, EV_WARN, "", "encrypted part (PGP/MIME or S/MIME): not scanned");
    assert_int_equal(r.ev[1].st, PIISCAN_EENCRYPTED);
    rec_free(&r);
}

/* 5000 nested multiparts: bounded by GMime and by our depth limit, no crash. */
static void test_hostile_nesting(void **state)
{
    size_t cap = 5000 * 80 + 256;
    char *s = malloc(cap);
    size_t len = 0;
    struct rec r = {0};

    (void)state;
    len += (size_t)snprintf(s + len, cap - len, "From: a@b.example\nMIME-Version: 1.0\n");
    for (int i = 0; i < 5000; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
    len += (size_t)snprintf(s + len, cap - len, "Content-Type: text/plain\n\ndeep\n");
    assert_int_equal(parse_buf(s, len, 4096, PS_MAIL_MESSAGE, &r), PIISCAN_OK);
    assert_true(r.n >= 2);
    assert_int_equal(r.ev[0].kind, EV_TEXT);
    assert_int_equal(r.ev[1].kind, EV_WARN);
    assert_int_equal(r.ev[1].st, PIISCAN_ELIMIT);
    rec_free(&r);
    free(s);
}

static void test_not_mail(void **state)
{
    struct rec r = {0};
    char junk[3000];
    uint32_t x = 12345;

    (void)state;
    parse_str("", PS_MAIL_MESSAGE, &r);
    assert_int_equal(r.n, 1);
    expect_ev(&r, 0, EV_WARN, "", "not a readable MIME message");
    rec_free(&r);
    parse_str("no from line here\n", PS_MAIL_MBOX, &r);
    assert_int_equal(r.n, 1);
    expect_ev(&r, 0, EV_WARN, "", "no message found in mailbox");
    rec_free(&r);
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (char)(x >> 16);
    }
    assert_int_equal(parse_buf(junk, sizeof junk, 17, PS_MAIL_MESSAGE, &r), PIISCAN_OK);
    assert_true(r.n >= 1); /* something is said, nothing crashes */
    rec_free(&r);
    assert_int_equal(parse_buf(junk, sizeof junk, 17, PS_MAIL_MBOX, &r), PIISCAN_OK);
    rec_free(&r);
}

/* ---- recognition ------------------------------------------------------------------- */

static void test_sniff(void **state)
{
    (void)state;
    assert_int_equal(ps_mail_sniff("From MAILER-DAEMON Mon Nov 24 09:00:00 2014\n"
                                   "From: a@b.example\nSubject: s\n\nbody\n",
                                   70),
                     PS_MAIL_MBOX);
    assert_int_equal(ps_mail_sniff("Date: Mon, 24 Nov 2014\nFrom: a@b\nSubject: s\n\nb", 45),
                     PS_MAIL_MESSAGE);
    assert_int_equal(ps_mail_sniff("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nb", 48),
                     PS_MAIL_MESSAGE);
    assert_int_equal(ps_mail_sniff("Subject: s\n To: folded\nFrom: x\n\n", 33), PS_MAIL_MESSAGE);
    /* decoys: a memo with "Field: value" lines, prose starting with "From ", a CSV */
    assert_int_equal(ps_mail_sniff("Name: John Smith\nSSN: 471-83-2265\nDate: 2014\n\n", 47), -1);
    assert_int_equal(ps_mail_sniff("From here on we\ntalk about salaries.\n", 37), -1);
    assert_int_equal(ps_mail_sniff("name,ssn\nJohn,471-83-2265\n", 26), -1);
    assert_int_equal(ps_mail_sniff("Subject: lonely\n\nbody", 21), -1);
    assert_int_equal(ps_mail_sniff("From ", 5), -1);
    assert_int_equal(ps_mail_sniff("", 0), -1);
}

static void kind_set(struct ps_kind *k, const char *mime, bool is_text)
{
    memset(k, 0, sizeof *k);
    snprintf(k->mime, sizeof k->mime, "%s", mime);
    snprintf(k->charset, sizeof k->charset, "%s", is_text ? "us-ascii" : "binary");
    k->is_text = is_text;
}

static void test_bid(void **state)
{
    static const char mbox[] = "From x Mon Nov 24 09:00:00 2014\nFrom: a@b\nTo: c@d\n\n";
    static const char csv[] = "name,ssn\nJohn,471-83-2265\n";
    struct ps_kind k;

    (void)state;
    kind_set(&k, "message/rfc822", true);
    assert_int_equal(ps_mail_bid(&k, csv, sizeof csv - 1), 80);
    kind_set(&k, "application/mbox", true);
    assert_int_equal(ps_mail_bid(&k, mbox, sizeof mbox - 1), 85);
    kind_set(&k, "text/plain", true);
    assert_int_equal(ps_mail_bid(&k, mbox, sizeof mbox - 1), 85);
    assert_int_equal(ps_mail_bid(&k, csv, sizeof csv - 1), 0);
    kind_set(&k, "text/html", true);
    assert_int_equal(ps_mail_bid(&k, mbox, sizeof mbox - 1), 85);
    kind_set(&k, "application/octet-stream", false);
    assert_int_equal(ps_mail_bid(&k, mbox, sizeof mbox - 1), 85);
    assert_int_equal(ps_mail_bid(&k, "PK\3\4From: a@b\nTo: c@d\n\n", 22), 0);
    kind_set(&k, "application/pdf", false);
    assert_int_equal(ps_mail_bid(&k, "%PDF-1.4", 8), 0);
}

/* ---- the HTML stripper ------------------------------------------------------------- */

static void expect_html(const char *html, const char *text)
{
    size_t len = strlen(html);
    char *out = malloc(len + 1);
    size_t n = ps_mail_html_text(html, len, out);

    assert_int_equal(n, strlen(out));
    assert_string_equal(out, text);
    free(out);
}

static void test_html_text(void **state)
{
    (void)state;
    expect_html("<p>Hello <b>Amy</b>&nbsp;Pascal</p><p>SSN&#58; 471-83-2265</p>",
                "Hello Amy Pascal\nSSN: 471-83-2265");
    expect_html("<table><tr><td>A</td><td>B</td></tr><tr><td>C</td></tr></table>", "A\tB\nC");
    expect_html("a<br>b<br/><br>c", "a\nb\n\nc");
    expect_html("x<script type=\"a>b\">var s='<p>471-83-2265';</script>y", "xy");
    expect_html("x<STYLE>p{}</STYLE >y<!-- 471-83-2265 -->z", "xyz");
    expect_html("&lt;&gt;&amp;&quot;&apos;&#x41;&#66;&eacute;&euro;",
                "<>&\"'AB\xc3\xa9\xe2\x82\xac");
    expect_html("bad &#0; &#xD800; &#99999999; ok",
                "bad \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd ok");
    expect_html("a < b & c &unknown; &amp", "a < b & c &unknown; &amp");
    expect_html("  lots \n\n of   space  ", "lots of space");
    expect_html("<a href='x", "");
    expect_html("<!-- never closed", "");
    expect_html("<script>never closed", "");
    expect_html("", "");
}

/* Never longer than the input, whatever the input (the caller's buffer is len + 1). */
static void test_html_bound(void **state)
{
    static const char alphabet[] = "<>&#;x0123456789abcdefABpbrdtsciptyle/!- \n\"'";
    char in[64];
    uint32_t x = 7;

    (void)state;
    for (int it = 0; it < 200000; it++) {
        size_t len;
        x = x * 1103515245u + 12345u;
        len = (x >> 16) % sizeof in;
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            in[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
        }
        char *out = malloc(len + 1); /* exactly what the contract promises: ASan checks */
        assert_true(ps_mail_html_text(in, len, out) <= len);
        free(out);
    }
}

/* ---- through the pipeline (public API, real rules) --------------------------------- */

static piiscan_rules *rules;

static void scan_leak(struct evlog *l)
{
    evlog_scan_path(rules, PIISCAN_TEST_BUILD_DIR "/fixtures/docs/leak.zip", "leak.zip", l);
}

static int load_rules(void **state)
{
    piiscan_diag d;

    (void)state;
    return piiscan_rules_load(PIISCAN_TEST_RULES_DIR, &rules, &d) == PIISCAN_OK ? 0 : -1;
}

static int free_rules(void **state)
{
    (void)state;
    piiscan_rules_free(rules);
    return 0;
}

/* ---- file lines -------------------------------------------------------------------- */

/* File line of the rendered line of event i that holds `needle`. */
static uint64_t line_of(const struct rec *r, size_t i, const char *needle)
{
    const char *at;
    size_t k = 0;

    assert_true(i < r->n);
    assert_int_equal(r->ev[i].kind, EV_TEXT);
    at = strstr(r->ev[i].data, needle);
    assert_non_null(at);
    for (const char *c = r->ev[i].data; c < at; c++)
        k += *c == '\n';
    assert_true(k < r->ev[i].nlines);
    return r->ev[i].lines[k];
}

static const char qp_eml[] =
    "Received: from mx.example by mail.example; Mon, 24 Nov 2014 09:00:00 -0800\r\n" /* 1 */
    "Date: Mon, 24 Nov 2014 09:00:00 -0800\r\n"                                     /* 2 */
    "From: hr@example.com\r\n"                                                      /* 3 */
    "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"                                       /* 4 */
    "Content-Type: text/plain; charset=utf-8\r\n"                                   /* 5 */
    "Content-Transfer-Encoding: quoted-printable\r\n"                               /* 6 */
    "\r\n"                                                                          /* 7 */
    "Caf=C3=A9 list\r\n"                                                            /* 8 */
    "name=3DAmy ssn=3D471-83-2265\r\n"                                              /* 9 */
    "This plain line is verbatim in the file.\r\n"                                  /* 10 */
    "Tsch=C3=BCss\r\n";                                                             /* 11 */

/* Decoded content: the map gives a line of the message, placed from where the
 * part's content starts; verbatim lines stay exact around it. */
static void test_lines_qp_nearby(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_str(qp_eml, PS_MAIL_MESSAGE, &r);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.ev[0].data, "From: hr@example.com\nSubject: Gr\xc3\xbc\xc3\x9f"
                                      "e\n\nCaf\xc3\xa9 list\nname=Amy ssn=471-83-2265\n"
                                      "This plain line is verbatim in the file.\n"
                                      "Tsch\xc3\xbcss\n");
    assert_int_equal(line_of(&r, 0, "From: hr@"), 3);
    assert_int_equal(line_of(&r, 0, "Subject:"), 4); /* RFC 2047: the line after From */
    assert_int_equal(line_of(&r, 0, "Caf"), 8);      /* where the body starts */
    assert_int_equal(line_of(&r, 0, "471-83-2265"), 9);
    assert_int_equal(line_of(&r, 0, "This plain"), 10);
    assert_int_equal(line_of(&r, 0, "Tsch"), 11);
    rec_free(&r);
}

/* Decoded lines never land past their message, even with nothing to anchor them:
 * a base64 body renders more lines than the raw part has. */
static void test_lines_never_past_message(void **state)
{
    static const char mbox[] = "From a@b Mon Nov 24 09:00:00 2014\n"     /* 1 */
                               "From: a@b.example\n"                     /* 2 */
                               "Content-Transfer-Encoding: base64\n"     /* 3 */
                               "\n"                                      /* 4 */
                               "YQpiCmMKZAplCmYKZwpoCmkKago=\n"          /* 5: a..j */
                               "From b@c Mon Nov 24 09:00:00 2014\n"     /* 6 */
                               "From: b@c.example\n"                     /* 7 */
                               "\n"                                      /* 8 */
                               "second body line\n";                     /* 9 */
    struct rec r = {0};

    (void)state;
    parse_str(mbox, PS_MAIL_MBOX, &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.ev[0].data, "From: a@b.example\n\na\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
    assert_int_equal(line_of(&r, 0, "From: a@"), 2);
    assert_int_equal(line_of(&r, 0, "a\nb"), 5);
    assert_int_equal(line_of(&r, 0, "j\n"), 5); /* not 14: line 5 is the message's last */
    assert_int_equal(line_of(&r, 1, "From: b@"), 7);
    assert_int_equal(line_of(&r, 1, "second body"), 9);
    rec_free(&r);
}

/* Runs: consecutive lines stay one run, small gaps are filled with empty lines,
 * a repeated line or a gap over PS_MAIL_MAX_PAD starts a new run. */
struct runlog {
    char text[8][128];
    uint64_t line[8];
    size_t n;
};

static piiscan_status on_run(void *ctx, const char *run, size_t len, uint64_t line)
{
    struct runlog *l = ctx;

    assert_true(l->n < 8 && len < 128);
    memcpy(l->text[l->n], run, len);
    l->text[l->n][len] = '\0';
    l->line[l->n++] = line;
    return PIISCAN_OK;
}

static void test_lines_runs(void **state)
{
    /* a..g on lines 3, 4, 7 (gap 2), 7 and 7 (same line), 400 (gap > 256), 401 */
    static const struct ps_mail_lineseg seg[] = {{0, 3, 1}, {2, 7, 1}, {3, 7, 0}, {5, 400, 1}};
    struct ps_mail_linemap map = {(struct ps_mail_lineseg *)seg, 4, 4};
    struct runlog l = {0};

    (void)state;
    assert_int_equal(ps_mail_linemap_line(&map, 0), 3);
    assert_int_equal(ps_mail_linemap_line(&map, 4), 7);
    assert_int_equal(ps_mail_linemap_line(&map, 6), 401);
    assert_int_equal(ps_mail_runs("a\nb\nc\nd\ne\nf\ng", 13, &map, on_run, &l), PIISCAN_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.text[0], "a\nb\n\n\nc\n");
    assert_int_equal(l.line[0], 3);
    assert_string_equal(l.text[1], "d\n");
    assert_int_equal(l.line[1], 7);
    assert_string_equal(l.text[2], "e\n");
    assert_int_equal(l.line[2], 7);
    assert_string_equal(l.text[3], "f\ng");
    assert_int_equal(l.line[3], 400);
}

/* mbox regions: where GMime splits (any line starting "From "). */
static void test_lines_mbox_region(void **state)
{
    static const char raw[] = "junk\nFrom a x\nH: 1\n\n>From quoted\nFrom b y\nH: 2\n";
    size_t start;
    size_t body;
    size_t end;

    (void)state;
    assert_true(ps_mail_mbox_region(raw, sizeof raw - 1, 0, &start, &body, &end));
    assert_int_equal(start, 5);
    assert_int_equal(body, 14);
    assert_int_equal(end, 33);
    assert_true(ps_mail_mbox_region(raw, sizeof raw - 1, end, &start, &body, &end));
    assert_int_equal(start, 33);
    assert_int_equal(end, sizeof raw - 1);
    assert_false(ps_mail_mbox_region(raw, sizeof raw - 1, end, &start, &body, &end));
}

/* ---- file lines through the pipeline ------------------------------------------------ */

static void scan_buf(const char *lpath, const char *buf, struct evlog *l)
{
    evlog_scan_buf(rules, lpath, buf, l);
}

/* A plain .eml: transport fields are not rendered, yet a body value is reported
 * on its line of the file, a header value on its header line; the base64
 * attachment keeps its own lines (a CSV read again by the pipeline). */
static void test_pipeline_eml_lines(void **state)
{
    static const char eml[] =
        "Received: from mx.example.com (mx.example.com [10.0.0.1])\r\n"      /* 1 */
        "        by mail.example.com; Mon, 24 Nov 2014 09:00:00 -0800\r\n"  /* 2 */
        "Date: Mon, 24 Nov 2014 09:00:00 -0800\r\n"                          /* 3 */
        "Message-ID: <20141124.0900@mail.example.com>\r\n"                   /* 4 */
        "From: Amy Pascal <amy.pascal@example.com>\r\n"                      /* 5 */
        "To: hr@example.com\r\n"                                             /* 6 */
        "Subject: SSN 602-37-1845 for the file\r\n"                          /* 7 */
        "MIME-Version: 1.0\r\n"                                              /* 8 */
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"                 /* 9 */
        "\r\n"                                                               /* 10 */
        "--b1\r\n"                                                           /* 11 */
        "Content-Type: text/plain\r\n"                                       /* 12 */
        "\r\n"                                                               /* 13 */
        "Hello,\r\n"                                                         /* 14 */
        "\r\n"                                                               /* 15 */
        "please update the record:\r\n"                                      /* 16 */
        "SSN 471-83-2265, born 1967.\r\n"                                    /* 17 */
        "--b1\r\n"                                                           /* 18 */
        "Content-Type: text/csv; name=\"payroll.csv\"\r\n"                   /* 19 */
        "Content-Disposition: attachment; filename=\"payroll.csv\"\r\n"      /* 20 */
        "Content-Transfer-Encoding: base64\r\n"                              /* 21 */
        "\r\n"                                                               /* 22 */
        /* "name,ssn\r\nJohn Smith,318-44-9021\r\n" */
        "bmFtZSxzc24NCkpvaG4gU21pdGgsMzE4LTQ0LTkwMjENCg==\r\n"              /* 23 */
        "--b1--\r\n";
    struct evlog l = {"note.eml", NULL, {{0}}, 0};
    static const char *const want[] = {
        "B 0 note.eml mail",
        "F ssn 602-37-1845 L7 note.eml",
        "F ssn 471-83-2265 L17 note.eml",
        "B 1 note.eml!payroll.csv text",
        "F ssn 318-44-9021 L2 note.eml!payroll.csv",
        "E note.eml!payroll.csv",
        "E note.eml",
    };

    (void)state;
    scan_buf("note.eml", eml, &l);
    evlog_expect(&l, want, sizeof want / sizeof want[0]);
}

/* An mbox of 3 messages: every finding carries its line of the mbox (the label
 * names the message), whatever the headers GMime reads ahead or skips. */
static void test_pipeline_mbox_lines(void **state)
{
    static const char mbox[] =
        "From amy@example.com Mon Nov 24 09:00:00 2014\n"   /* 1 */
        "From: amy@example.com\n"                           /* 2 */
        "Date: Mon, 24 Nov 2014 09:00:00 -0800\n"           /* 3 */
        "Subject: one\n"                                    /* 4 */
        "\n"                                                /* 5 */
        "Employee SSN: 471-83-2265\n"                       /* 6 */
        "\n"                                                /* 7 */
        "From bob@example.com Mon Nov 24 10:00:00 2014\n"   /* 8 */
        "Received: from a by b; Mon, 24 Nov 2014\n"         /* 9 */
        "Message-ID: <2@example.com>\n"                     /* 10 */
        "X-Mailer: Outlook\n"                               /* 11 */
        "From: bob@example.com\n"                           /* 12 */
        "Subject: two\n"                                    /* 13 */
        "\n"                                                /* 14 */
        "Hi,\n"                                             /* 15 */
        ">From the payroll team:\n"                         /* 16 */
        "SSN 318-44-9021\n"                                 /* 17 */
        "SSN 602-37-1845\n"                                 /* 18 */
        "\n"                                                /* 19 */
        "From carl@example.com Mon Nov 24 11:00:00 2014\n"  /* 20 */
        "From: carl@example.com\n"                          /* 21 */
        "Subject: SSN 233-19-4872\n"                        /* 22 */
        "\n"                                                /* 23 */
        "nothing here\n";                                   /* 24 */
    struct evlog l = {"box.mbox", NULL, {{0}}, 0};
    static const char *const want[] = {
        "B 0 box.mbox mail",
        "F ssn 471-83-2265 L6 box.mbox!msg-0001",
        "F ssn 318-44-9021 L17 box.mbox!msg-0002",
        "F ssn 602-37-1845 L18 box.mbox!msg-0002",
        "F ssn 233-19-4872 L22 box.mbox!msg-0003",
        "E box.mbox",
    };

    (void)state;
    scan_buf("box.mbox", mbox, &l);
    evlog_expect(&l, want, sizeof want / sizeof want[0]);
}

/* A body line starting "From " that is not a postmark (mboxo writers do not
 * escape it) must neither end the message nor stop the mailbox: every message
 * after it is still read, at its own lines. */
static void test_pipeline_mbox_unescaped_from(void **state)
{
    static const char mbox[] =
        "From a@example.com Sun Jul  9 21:22:00 2024\n"     /* 1 */
        "From: a@example.com\n"                             /* 2 */
        "Subject: one\n"                                    /* 3 */
        "\n"                                                /* 4 */
        "SSN 536-22-8914\n"                                 /* 5 */
        "\n"                                                /* 6 */
        "From here on we talk about 2024 at 10:30.\n"       /* 7: body, not a postmark */
        "more text 412-70-3318 SSN\n"                       /* 8 */
        "\n"                                                /* 9 */
        "From b@example.com Sun Jul  9 21:23:00 2024\n"     /* 10 */
        "From: b@example.com\n"                             /* 11 */
        "Subject: two\n"                                    /* 12 */
        "\n"                                                /* 13 */
        "SSN: 602-37-1845\n"                                /* 14 */
        "From the desk of HR\n"                             /* 15: no blank line before */
        "SSN: 471-83-2265\n";                               /* 16 */
    struct evlog l = {"box.mbox", NULL, {{0}}, 0};
    static const char *const want[] = {
        "B 0 box.mbox mail",
        "F ssn 536-22-8914 L5 box.mbox!msg-0001",
        "F ssn 412-70-3318 L8 box.mbox!msg-0001",
        "F ssn 602-37-1845 L14 box.mbox!msg-0002",
        "F ssn 471-83-2265 L16 box.mbox!msg-0002",
        "E box.mbox",
    };

    (void)state;
    scan_buf("box.mbox", mbox, &l);
    evlog_expect(&l, want, sizeof want / sizeof want[0]);
}

/* leak.zip > exec.mbox > msg-0004 > payroll.csv: attachments go back to the
 * pipeline and are located by the whole chain. */
static void test_pipeline_mail_in_zip(void **state)
{
    struct evlog l = {"leak.zip!", "leak.zip!reports/", {{0}}, 0};
    static const char *const want[] = {
        "B 1 leak.zip!exec.mbox mail",
        /* Lines of the mbox: the 8bit text/plain part (exact), then the HTML
         * alternative's table row, found by its cell (exact too). */
        "F ssn 602-37-1845 L36 leak.zip!exec.mbox!msg-0003",
        "F ssn 602-37-1845 L47 leak.zip!exec.mbox!msg-0003",
        "B 2 leak.zip!exec.mbox!msg-0004!payroll.csv text",
        "F ssn 471-83-2265 L2 leak.zip!exec.mbox!msg-0004!payroll.csv",
        "F ssn 318-44-9021 L3 leak.zip!exec.mbox!msg-0004!payroll.csv",
        "E leak.zip!exec.mbox!msg-0004!payroll.csv",
        "B 2 leak.zip!exec.mbox!msg-0005!message-1!w2.tsv text",
        "F ssn 318-44-9021 L1 leak.zip!exec.mbox!msg-0005!message-1!w2.tsv",
        "E leak.zip!exec.mbox!msg-0005!message-1!w2.tsv",
        "E leak.zip!exec.mbox",
        "B 1 leak.zip!memo.eml mail",
        /* quoted-printable, soft-wrapped: the line its paragraph starts on. */
        "F ssn 471-83-2265 L11 leak.zip!memo.eml",
        "E leak.zip!memo.eml",
        "B 1 leak.zip!broken.eml mail",
        "F ssn 471-83-2265 L12 leak.zip!broken.eml",
        "B 2 leak.zip!broken.eml!big.csv text",
        "F ssn 471-83-2265 L2 leak.zip!broken.eml!big.csv",
        "F ssn 318-44-9021 L3 leak.zip!broken.eml!big.csv",
        "F ssn 471-83-2265 L5 leak.zip!broken.eml!big.csv",
        "F ssn 318-44-9021 L6 leak.zip!broken.eml!big.csv",
        "E leak.zip!broken.eml!big.csv",
        "W leak.zip!broken.eml 5 partial: broken MIME: truncated message "
        "(closing boundary missing)",
        "E leak.zip!broken.eml",
    };

    (void)state;
    scan_leak(&l);
    evlog_expect(&l, want, sizeof want / sizeof want[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eml_qp_rfc2047),
        cmocka_unit_test(test_mbox_messages_and_attachments),
        cmocka_unit_test(test_mbox_block_sizes),
        cmocka_unit_test(test_broken_boundary_eml),
        cmocka_unit_test(test_broken_boundary_mbox),
        cmocka_unit_test(test_max_messages),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_message_cap),
        cmocka_unit_test(test_stream_failure),
        cmocka_unit_test(test_abort_stops),
        cmocka_unit_test(test_undeclared_8bit_is_cp1252),
        cmocka_unit_test(test_label_sanitised),
        cmocka_unit_test(test_encrypted_part_warned),
        cmocka_unit_test(test_hostile_nesting),
        cmocka_unit_test(test_not_mail),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_bid),
        cmocka_unit_test(test_html_text),
        cmocka_unit_test(test_html_bound),
        cmocka_unit_test(test_lines_qp_nearby),
        cmocka_unit_test(test_lines_never_past_message),
        cmocka_unit_test(test_lines_runs),
        cmocka_unit_test(test_lines_mbox_region),
        cmocka_unit_test(test_pipeline_mail_in_zip),
        cmocka_unit_test(test_pipeline_eml_lines),
        cmocka_unit_test(test_pipeline_mbox_lines),
        cmocka_unit_test(test_pipeline_mbox_unescaped_from),
    };

    return cmocka_run_group_tests(tests, load_rules, free_rules);
}
