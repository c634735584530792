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
    return (r->abort_after && r->n >= r->abort_after) ? PIISCAN_EABORTED : PIISCAN_OK;
}

static piiscan_status on_text(void *ctx, const char *label, const char *text, size_t len,
                              uint64_t record)
{
    return rec_add(ctx, EV_TEXT, label, text, len, record, PIISCAN_OK, false);
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

/* Event lines of the members under `prefix`: "B <depth> <lpath> <format>",
 * "F ssn <value> L<line> <lpath>" (other categories depend on rules outside this
 * module and are left out), "W <lpath> <status>[ partial]: <message>", "E <lpath>". */
struct evlog {
    const char *prefix;
    const char *exclude; /* or NULL */
    char lines[64][300];
    size_t n;
};

static int on_event(const piiscan_event *ev, void *user)
{
    struct evlog *l = user;
    char *line = l->lines[l->n];
    const char *lp = ev->kind == PIISCAN_EV_FINDING   ? ev->finding->lpath
                     : ev->kind == PIISCAN_EV_WARNING ? ev->warning->lpath
                                                      : ev->file->lpath;

    if (strncmp(lp, l->prefix, strlen(l->prefix)) != 0)
        return PIISCAN_CONTINUE;
    if (l->exclude && strncmp(lp, l->exclude, strlen(l->exclude)) == 0)
        return PIISCAN_CONTINUE;
    if (ev->kind == PIISCAN_EV_FINDING && ev->finding->category != PIISCAN_CAT_SSN)
        return PIISCAN_CONTINUE;
    assert_true(l->n < 64);
    if (ev->kind == PIISCAN_EV_FILE_BEGIN)
        snprintf(line, 300, "B %u %s %s", ev->file->depth, lp, ev->file->format);
    else if (ev->kind == PIISCAN_EV_FILE_END)
        snprintf(line, 300, "E %s", lp);
    else if (ev->kind == PIISCAN_EV_WARNING)
        snprintf(line, 300, "W %s %d%s: %s", lp, ev->warning->status,
                 ev->warning->is_partial ? " partial" : "", ev->warning->message);
    else
        snprintf(line, 300, "F ssn %s L%llu %s", ev->finding->value,
                 (unsigned long long)ev->finding->line, lp);
    l->n++;
    return PIISCAN_CONTINUE;
}

static void scan_leak(struct evlog *l)
{
    piiscan_options o;
    piiscan_scanner *sc = NULL;

    piiscan_options_init(&o);
    assert_int_equal(piiscan_scanner_new(rules, &o, &sc), PIISCAN_OK);
    assert_int_equal(piiscan_scan_path(sc, PIISCAN_TEST_BUILD_DIR "/fixtures/docs/leak.zip",
                                       "leak.zip", on_event, l),
                     PIISCAN_OK);
    piiscan_scanner_free(sc);
}

static void expect_lines(const struct evlog *l, const char *const *want, size_t n)
{
    bool same = l->n == n;

    for (size_t i = 0; same && i < n; i++)
        same = strcmp(l->lines[i], want[i]) == 0;
    for (size_t i = 0; !same && i < l->n; i++)
        printf("# %s\n", l->lines[i]);
    for (size_t i = 0; i < n && i < l->n; i++)
        assert_string_equal(l->lines[i], want[i]);
    assert_int_equal(l->n, n);
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

/* leak.zip > exec.mbox > msg-0004 > payroll.csv: attachments go back to the
 * pipeline and are located by the whole chain. */
static void test_pipeline_mail_in_zip(void **state)
{
    struct evlog l = {"leak.zip!", "leak.zip!reports/", {{0}}, 0};
    static const char *const want[] = {
        "B 1 leak.zip!exec.mbox mail",
        "F ssn 602-37-1845 L6 leak.zip!exec.mbox!msg-0003",
        "F ssn 602-37-1845 L10 leak.zip!exec.mbox!msg-0003",
        "B 2 leak.zip!exec.mbox!msg-0004!payroll.csv text",
        "F ssn 471-83-2265 L2 leak.zip!exec.mbox!msg-0004!payroll.csv",
        "F ssn 318-44-9021 L3 leak.zip!exec.mbox!msg-0004!payroll.csv",
        "E leak.zip!exec.mbox!msg-0004!payroll.csv",
        "B 2 leak.zip!exec.mbox!msg-0005!message-1!w2.tsv text",
        "F ssn 318-44-9021 L1 leak.zip!exec.mbox!msg-0005!message-1!w2.tsv",
        "E leak.zip!exec.mbox!msg-0005!message-1!w2.tsv",
        "E leak.zip!exec.mbox",
        "B 1 leak.zip!memo.eml mail",
        "F ssn 471-83-2265 L7 leak.zip!memo.eml",
        "E leak.zip!memo.eml",
        "B 1 leak.zip!broken.eml mail",
        "F ssn 471-83-2265 L5 leak.zip!broken.eml",
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
    expect_lines(&l, want, sizeof want / sizeof want[0]);
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
        cmocka_unit_test(test_pipeline_mail_in_zip),
    };

    return cmocka_run_group_tests(tests, load_rules, free_rules);
}
