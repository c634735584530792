/* test_docx.c - the Word parser on a memo written by python-docx (paragraphs with
 * runs, a tab and a break, a table, a footer), the same memo with its body cut
 * inside the table, and a body assembled here with what Word writes but
 * python-docx does not: tab stops (decoy), field codes (decoy), tracked
 * deletions, a text box with its VML fallback copy (decoy), merged and nested
 * table cells. Exact paragraphs, rows and warnings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/office/office_record.h"
#include "extract/docx.h"
#include "extract/office.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void parse_buf(const char *buf, size_t len, struct rec *r, piiscan_status want)
{
    struct ps_office_sink sink;
    struct ps_office_limits lim;
    size_t abort_after = r->abort_after;

    ps_office_limits_init(&lim, NULL);
    rec_init(r, &sink);
    r->abort_after = abort_after;
    assert_int_equal(ps_docx_parse(buf, len, &lim, &sink), want);
}

static void parse_fixture(const char *name, struct rec *r, piiscan_status want)
{
    size_t len;
    char *buf = rec_fixture(name, &len);

    parse_buf(buf, len, r, want);
    free(buf);
}

static const char *const memo[] = {
    "#1: Memo: 2014 compensation review",
    "#2: To: HR Leadership",
    "#3: Please correct the record of Maria Garcia, SSN 536-22-8153, born 04/12/1967.",
    "#5: Column A\tColumn B\nsecond line",
    "table1:1: =Name | =SSN | =Salary",
    "table1:2: [Name]=Maria Garcia | [SSN]=536-22-8153 | [Salary]=$85,000",
    "table1:3: [Name]=James Whitfield | [SSN]=412-67-3390 | [Salary]=$123,500.5",
    "#6: Reference order 4410-2291-7730 is not an SSN.",
    "footer1#1: Confidential - prepared by James Whitfield",
};

static void test_python_docx_memo(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("memo.docx", &r, PIISCAN_OK);
    rec_expect(&r, memo, N(memo));
    rec_free(&r);
}

/* Cut inside the last row: the rows and the cell before the cut are read, one
 * warning, then the (intact) footer. */
static void test_body_cut_in_table(void **state)
{
    static const char *const want[] = {
        "#1: Memo: 2014 compensation review",
        "#2: To: HR Leadership",
        "#3: Please correct the record of Maria Garcia, SSN 536-22-8153, born 04/12/1967.",
        "#5: Column A\tColumn B\nsecond line",
        "table1:1: =Name | =SSN | =Salary",
        "table1:2: [Name]=Maria Garcia | [SSN]=536-22-8153 | [Salary]=$85,000",
        "table1:3: [Name]=James Whitfield",
        "W - ECORRUPT: document read only in part (XML error at line 2: *",
        "footer1#1: Confidential - prepared by James Whitfield",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("cut_memo.docx", &r, PIISCAN_OK);
    rec_expect(&r, want, N(want));
    assert_true(rec_has(&r, "4 paragraphs and 3 table rows before the damage were scanned"));
    rec_free(&r);
}

static void test_abort_propagates(void **state)
{
    struct rec r = {0};

    (void)state;
    r.abort_after = 5;
    parse_fixture("memo.docx", &r, PIISCAN_EABORTED);
    assert_int_equal(r.n, 5);
    rec_free(&r);
}

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define MC "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
#define RUN(t) "<w:r><w:t>" t "</w:t></w:r>"
#define PARA(t) "<w:p>" RUN(t) "</w:p>"

static const char word_body[] =
    "<w:document " W " " MC "><w:body>"
    "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>" RUN(
        "Tab stops are not text") "</w:p>"
                                  "<w:p><w:r><w:fldChar "
                                  "w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> MERGEFIELD "
                                  "Secret_412-67-3390 </w:instrText></w:r><w:r><w:fldChar "
                                  "w:fldCharType=\"separate\"/></w:r>" RUN(
                                      "Field result") "<w:r><w:fldChar "
                                                      "w:fldCharType=\"end\"/></w:r></w:p>"
                                                      "<w:p><w:del><w:r><w:delText>Deleted "
                                                      "601-38-7244 "
                                                      "</w:delText></w:r></w:del><w:ins>" RUN("kep"
                                                                                              "t") "</w:ins><w:r><w:noBreakHyphen/></w:r>" RUN("x") "</w:p>"
                                                                                                                                                    "<w:p>" RUN("Before box") "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
                                                                                                                                                                              "<w:txbxContent>" PARA("Box text") "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback>"
                                                                                                                                                                                                                 "<w:pict><w:txbxContent>" PARA("Box text copy") "</w:txbxContent></w:pict></mc:Fallback>"
                                                                                                                                                                                                                                                                 "</mc:AlternateContent></w:r>" RUN("after") "</w:p>"
                                                                                                                                                                                                                                                                                                             "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>" PARA(
                                                                                                                                                                                                                                                                                                                 "Employee") "</w:tc>"
                                                                                                                                                                                                                                                                                                                             "<w:tc>" PARA(
                                                                                                                                                                                                                                                                                                                                 "DOB") "</w:tc></w:tr>"
                                                                                                                                                                                                                                                                                                                                        "<w:tr><w:tc>" PARA(
                                                                                                                                                                                                                                                                                                                                            "Amy") "</w:tc><w:tc>" PARA("Pascal") PARA("(n\xc3\xa9"
                                                                                                                                                                                                                                                                                                                                                                                       "e Smith)") "</w:tc><w:tc><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"9\"/></w:tcPr>" PARA("1967") "</w:tc><w:tc>" PARA("04-12") "</w:tc></w:tr><w:tr><w:tc>" PARA("inner row 2") "</w:tc>"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                            "</w:tr></w:tbl></w:tc></w:tr></w:tbl>"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                            "<w:p/>" PARA(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                "Last") "</w:body></w:document>";

static void test_word_constructs(void **state)
{
    static const char *const want[] = {
        "#1: Tab stops are not text",
        "#2: Field result",
        "#3: Deleted 601-38-7244 kept-x",
        "#4: Before box\nBox text\nafter",
        "table1:1: =Employee | =DOB",
        "table1:2: [Employee]=Amy | =Pascal\n(n\xc3\xa9"
        "e Smith) | [DOB]=1967\t04-12\ninner row 2",
        "#6: Last",
    };
    struct rec_part parts[] = {{"word/document.xml", word_body}};
    struct rec r = {0};
    size_t len = 0;
    char *buf = rec_zip(parts, N(parts), &len);

    (void)state;
    parse_buf(buf, len, &r, PIISCAN_OK);
    rec_expect(&r, want, N(want));
    assert_false(rec_has(&r, "MERGEFIELD"));
    assert_false(rec_has(&r, "copy"));
    free(buf);
    rec_free(&r);
}

/* No document part, a part list pointing at a missing footer, not a zip. */
static void test_broken_packages(void **state)
{
    struct rec_part no_body[] = {
        {"_rels/.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships/officeDocument\" Target=\"word/main.xml\"/></Relationships>"}};
    struct rec_part lost_footer[] = {
        {"word/document.xml", "<w:document " W "><w:body>" PARA("Body") "</w:body></w:document>"},
        {"word/_rels/document.xml.rels",
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships/footer\" Target=\"../../../footer9.xml\"/>"
         "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships/header\" Target=\"header%31.xml\"/>"
         "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships/footer\" Target=\"http://example.com/x.xml\" TargetMode=\"External\"/>"
         "</Relationships>"}};
    struct rec r = {0};
    size_t len = 0;
    char *buf;

    (void)state;
    buf = rec_zip(no_body, N(no_body), &len);
    parse_buf(buf, len, &r, PIISCAN_OK);
    {
        static const char *const want[] = {"W - ECORRUPT: document part word/main.xml is missing"};
        rec_expect(&r, want, N(want));
    }
    rec_free(&r);
    free(buf);

    buf = rec_zip(lost_footer, N(lost_footer), &len);
    parse_buf(buf, len, &r, PIISCAN_OK);
    {
        /* the footer escaping the package is dropped; header%31 is word/header1.xml */
        static const char *const want[] = {"#1: Body",
                                           "W header1 ECORRUPT: part word/header1.xml is missing"};
        rec_expect(&r, want, N(want));
    }
    rec_free(&r);
    free(buf);

    parse_buf("not a zip", 9, &r, PIISCAN_OK);
    {
        static const char *const want[] = {"W - ECORRUPT: not a readable document: *"};
        rec_expect(&r, want, N(want));
    }
    rec_free(&r);
}

/* A paragraph longer than max_para_bytes comes in pieces with the same number,
 * never cut inside a UTF-8 sequence. */
static void test_long_paragraph_pieces(void **state)
{
    char *body = malloc(8192);
    struct rec_part parts[] = {{"word/document.xml", body}};
    struct ps_office_sink sink;
    struct ps_office_limits lim;
    struct rec r = {0};
    size_t len = 0, k = 0;
    char *buf;

    (void)state;
    assert_non_null(body);
    k += (size_t)snprintf(body, 8192, "<w:document " W "><w:body><w:p><w:r><w:t>");
    for (int i = 0; i < 10; i++)
        k += (size_t)snprintf(body + k, 8192 - k, "\xc3\xa9\xc3\xa9\xc3\xa9"); /* 6 bytes */
    snprintf(body + k, 8192 - k, "</w:t></w:r></w:p></w:body></w:document>");
    buf = rec_zip(parts, N(parts), &len);
    ps_office_limits_init(&lim, NULL);
    lim.max_para_bytes = 25;
    rec_init(&r, &sink);
    assert_int_equal(ps_docx_parse(buf, len, &lim, &sink), PIISCAN_OK);
    {
        static const char *const want[] = {
            "#1: \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
            "\xc3\xa9\xc3\xa9",
            "#1: \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
            "\xc3\xa9\xc3\xa9",
            "#1: \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
        };
        rec_expect(&r, want, N(want));
    }
    rec_free(&r);
    free(buf);
    free(body);
}

/* The real scanner: paragraphs located by number, table cells by row with their
 * column header; the order number decoy is no SSN. */
static void test_scan_end_to_end(void **state)
{
    static const char *const cats[] = {"ssn", "email", "phone", NULL};
    static const char *const want[] = {
        "B memo.docx docx",
        "F ssn memo.docx:3 [] 536-22-8153 #3",
        "F ssn memo.docx!table1:2 [SSN] 536-22-8153 #2",
        "F ssn memo.docx!table1:3 [SSN] 412-67-3390 #3",
    };
    static const char *const cut[] = {
        "B cut_memo.docx docx",
        "F ssn cut_memo.docx:3 [] 536-22-8153 #3",
        "F ssn cut_memo.docx!table1:2 [SSN] 536-22-8153 #2",
        "W cut_memo.docx ECORRUPT partial: document read only in part (XML error at line 2: *",
    };
    struct rec_scan s = {.cats = cats};

    (void)state;
    rec_scan_fixture("memo.docx", &s);
    rec_expect(&s.r, want, N(want));
    rec_free(&s.r);
    rec_scan_fixture("cut_memo.docx", &s);
    rec_expect(&s.r, cut, N(cut));
    rec_free(&s.r);
}

static void test_mutants(void **state)
{
    (void)state;
    assert_true(rec_mutate("memo.docx", ps_docx_parse, 300) > 0);
}

/* A workbook embedded in the memo is handed out whole, after the text, and the
 * real scanner opens it as a member: memo!word/embeddings/...xlsx!Employees. */
static void test_embedded_workbook(void **state)
{
    static const char *const cats[] = {"ssn", NULL};
    static const char *const scan[] = {
        "B embed_memo.docx docx",
        "F ssn embed_memo.docx:3 [] 536-22-8153 #3",
        "F ssn embed_memo.docx!table1:2 [SSN] 536-22-8153 #2",
        "F ssn embed_memo.docx!table1:3 [SSN] 412-67-3390 #3",
        "B embed_memo.docx!word/embeddings/Microsoft_Excel_Worksheet1.xlsx xlsx",
        "F ssn embed_memo.docx!word/embeddings/Microsoft_Excel_Worksheet1.xlsx!Employees:2 [SSN] "
        "536-22-8153 #2",
        "F ssn embed_memo.docx!word/embeddings/Microsoft_Excel_Worksheet1.xlsx!Employees:3 [SSN] "
        "412-67-3390 #3",
        "F ssn embed_memo.docx!word/embeddings/Microsoft_Excel_Worksheet1.xlsx!Employees:4 [SSN] "
        "287-14-5562 #4",
        "F ssn embed_memo.docx!word/embeddings/Microsoft_Excel_Worksheet1.xlsx!Employees:5 [SSN] "
        "601-38-7244 #5",
    };
    struct rec_scan s = {.cats = cats};
    struct rec r = {0};
    size_t book_len = 0;
    char *book = rec_fixture("hr.xlsx", &book_len);
    char want_e[128];
    const char *want[N(memo) + 1];

    (void)state;
    for (size_t i = 0; i < N(memo); i++)
        want[i] = memo[i];
    snprintf(want_e, sizeof want_e,
             "E word/embeddings/Microsoft_Excel_Worksheet1.xlsx %zu bytes, PK", book_len);
    want[N(memo)] = want_e;
    parse_fixture("embed_memo.docx", &r, PIISCAN_OK);
    rec_expect(&r, want, N(want));
    rec_free(&r);
    free(book);

    rec_scan_fixture("embed_memo.docx", &s);
    rec_expect(&s.r, scan, N(scan));
    rec_free(&s.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_python_docx_memo),  cmocka_unit_test(test_body_cut_in_table),
        cmocka_unit_test(test_abort_propagates),  cmocka_unit_test(test_word_constructs),
        cmocka_unit_test(test_broken_packages),   cmocka_unit_test(test_long_paragraph_pieces),
        cmocka_unit_test(test_scan_end_to_end),   cmocka_unit_test(test_mutants),
        cmocka_unit_test(test_embedded_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
