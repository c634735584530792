/* test_odf.c - the OpenDocument parser on files written by odfpy: a spreadsheet
 * (date cells with office:date-value, float cells, LibreOffice-style padding of
 * 1020 repeated empty cells and 1000 repeated empty rows, a repeated data row),
 * a text document (heading, spans, text:s / tab / line-break, a footnote, a
 * table, a page header in styles.xml), a presentation; the spreadsheet cut in
 * row 4; packages built here (encrypted manifest, white space, hostile repeats).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/office/office_record.h"
#include "extract/odf.h"
#include "extract/office.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void parse_buf(const char *buf, size_t len, struct rec *r,
                      const struct ps_office_limits *lim)
{
    struct ps_office_sink sink;
    struct ps_office_limits def;

    if (lim == NULL) {
        ps_office_limits_init(&def, NULL);
        lim = &def;
    }
    rec_init(r, &sink);
    assert_int_equal(ps_odf_parse(buf, len, lim, &sink), PIISCAN_OK);
}

static void parse_fixture(const char *name, struct rec *r)
{
    size_t len;
    char *buf = rec_fixture(name, &len);

    parse_buf(buf, len, r, NULL);
    free(buf);
}

static void test_spreadsheet(void **state)
{
    static const char *const want[] = {
        "Employees:1: A1=Employee Name | B1=SSN | C1=DOB | D1=Salary",
        "Employees:2: A2[Employee Name]=Maria Garcia | B2[SSN]=536-22-8153 | C2[DOB]=1967-04-12 | "
        "D2[Salary]=85,000",
        "Employees:3: A3[Employee Name]=James Whitfield | B3[SSN]=412-67-3390 | "
        "C3[DOB]=1982-11-03 | D3[Salary]=123,500.5",
        "Employees:4: A4[Employee Name]=Linda Okafor | B4[SSN]=287-14-5562 | C4[DOB]=1975-02-28 | "
        "D4[Salary]=67,250",
        "Employees:5: A5[Employee Name]=Robert Chen | B5[SSN]=601-38-7244 | C5[DOB]=1990-07-19 | "
        "D5[Salary]=240,000",
        "Employees:1006: A1006[Employee Name]=dup | B1006[SSN]=dup",
        "Employees:1007: A1007[Employee Name]=dup | B1007[SSN]=dup",
        "Notes:1: A1=Reviewed by Linda Okafor",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("hr.ods", &r);
    rec_expect(&r, want, N(want));
    rec_free(&r);
}

static void test_spreadsheet_cut(void **state)
{
    static const char *const want[] = {
        "Employees:1: A1=Employee Name | B1=SSN | C1=DOB | D1=Salary",
        "Employees:2: A2[Employee Name]=Maria Garcia | B2[SSN]=536-22-8153 | C2[DOB]=1967-04-12 | "
        "D2[Salary]=85,000",
        "Employees:3: A3[Employee Name]=James Whitfield | B3[SSN]=412-67-3390 | "
        "C3[DOB]=1982-11-03 | D3[Salary]=123,500.5",
        "Employees:4: A4[Employee Name]=Linda Okafor",
        "W - ECORRUPT: document read only in part (XML error at line 2: *",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("cut_hr.ods", &r);
    rec_expect(&r, want, N(want));
    assert_true(rec_has(&r, "0 paragraphs and 4 table rows before the damage were scanned"));
    rec_free(&r);
}

static void test_text_document(void **state)
{
    static const char *const want[] = {
        "#1: Termination notice",
        "#2: Employee: Linda Okafor, SSN 287-14-5562\nPer HR case 2014-117.",
        "#3: a   b\tc\nd",
        "Severance:1: =Name | =Amount",
        "Severance:2: [Name]=Linda Okafor | [Amount]=$45,000",
        "#4: Signed, HR",
        "headers#1: HR Confidential - Linda Okafor file",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("memo.odt", &r);
    rec_expect(&r, want, N(want));
    rec_free(&r);
}

static void test_presentation(void **state)
{
    static const char *const want[] = {
        "slide1#1: Board update",
        "slide1#2: Layoffs: Maria Garcia",
        "slide2#1: Call 212-555-0147",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("deck.odp", &r);
    rec_expect(&r, want, N(want));
    rec_free(&r);
}

#define ODF_NS                                                                                     \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "                           \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                               \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "                             \
    "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "                      \
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\""
#define CONTENT(body)                                                                              \
    "<office:document-content " ODF_NS "><office:body>" body "</office:body>"                      \
    "</office:document-content>"

static void test_encrypted(void **state)
{
    static const char *const want[] = {
        "W - EENCRYPTED: document is password-protected: not scanned"};
    struct rec_part parts[] = {
        {"META-INF/manifest.xml",
         "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
         "<manifest:file-entry manifest:full-path=\"content.xml\"><manifest:encryption-data "
         "manifest:checksum-type=\"SHA1/1K\"/></manifest:file-entry></manifest:manifest>"},
        {"content.xml", "\x8f\x01\xfe encrypted bytes"}};
    struct rec r = {0};
    size_t len = 0;
    char *buf = rec_zip(parts, N(parts), &len);

    (void)state;
    parse_buf(buf, len, &r, NULL);
    rec_expect(&r, want, N(want));
    rec_free(&r);
    free(buf);
}

/* White space (collapsed, none leading or trailing), descriptions that are not
 * text, note marks, hostile repeat counts, date-times, numbers showing no text, a
 * spanned header over a covered (empty) cell, a table inside a cell. */
static void test_constructs(void **state)
{
    static const char *const want[] = {
        "#1: Ann Lee lives\there",
        "T:1: A1=Name | C1=Pay | D1=Extra",
        "T:2: A2[Name]=Bo | B2=2014-11-24 13:45:00 | C2[Pay]=5000 | D2[Extra]=in\tner",
        "W - ELIMIT: repeated rows cut at 3 copies",
        "T:3: A3[Name]=r | B3=r",
        "T:4: A4[Name]=r | B4=r",
        "T:5: A5[Name]=r | B5=r",
        "#2: end",
    };
    static const char content[] = CONTENT(
        "<office:spreadsheet>"
        "<text:p>\n   Ann  <text:span>Lee</text:span>\n  lives<text:tab/>here<draw:frame>"
        "<svg:title>Photo of 536-22-8153</svg:title></draw:frame><text:note><text:note-citation>"
        "7</text:note-citation></text:note>  </text:p>"
        "<table:table table:name=\"T\"><table:table-row>"
        "<table:table-cell office:value-type=\"string\" table:number-columns-spanned=\"2\">"
        "<text:p>Name</text:p></table:table-cell>"
        "<table:covered-table-cell/>"
        "<table:table-cell><text:p>Pay</text:p></table:table-cell>"
        "<table:table-cell><text:p>Extra</text:p></table:table-cell>"
        "</table:table-row>"
        "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Bo</text:p>"
        "</table:table-cell><table:table-cell office:value-type=\"date\" "
        "office:date-value=\"2014-11-24T13:45:00.5\"><text:p>24/11/14</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"float\" office:value=\"5000\"/>"
        "<table:table-cell><table:table><table:table-row><table:table-cell><text:p>in</text:p>"
        "</table:table-cell><table:table-cell><text:p>ner</text:p></table:table-cell>"
        "</table:table-row></table:table></table:table-cell>"
        "<table:table-cell table:number-columns-repeated=\"99999999999\"/></table:table-row>"
        "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell "
        "table:number-columns-repeated=\"2\"><text:p>r</text:p></table:table-cell>"
        "</table:table-row></table:table><text:p>end</text:p></office:spreadsheet>");
    struct rec_part parts[] = {{"content.xml", content}};
    struct ps_office_limits lim;
    struct rec r = {0};
    size_t len = 0;
    char *buf = rec_zip(parts, N(parts), &len);

    (void)state;
    ps_office_limits_init(&lim, NULL);
    lim.max_repeat = 3;
    parse_buf(buf, len, &r, &lim);
    rec_expect(&r, want, N(want));
    assert_false(rec_has(&r, "Photo"));
    rec_free(&r);
    free(buf);
}

static void test_not_odf(void **state)
{
    static const char *const want[] = {"W - ECORRUPT: not a readable OpenDocument file: *"};
    static const char *const no_content[] = {"W - ECORRUPT: content.xml is missing"};
    struct rec_part parts[] = {{"mimetype", "application/vnd.oasis.opendocument.text"}};
    struct rec r = {0};
    size_t len = 0;
    char *buf = rec_zip(parts, N(parts), &len);

    (void)state;
    parse_buf("plain text", 10, &r, NULL);
    rec_expect(&r, want, N(want));
    rec_free(&r);
    parse_buf(buf, len, &r, NULL);
    rec_expect(&r, no_content, N(no_content));
    rec_free(&r);
    free(buf);
}

static void test_scan_end_to_end(void **state)
{
    static const char *const cats[] = {"ssn", "email", "phone", NULL};
    static const char *const ods[] = {
        "B hr.ods ods",
        "F ssn hr.ods!Employees:2 [SSN] 536-22-8153 #2",
        "F ssn hr.ods!Employees:3 [SSN] 412-67-3390 #3",
        "F ssn hr.ods!Employees:4 [SSN] 287-14-5562 #4",
        "F ssn hr.ods!Employees:5 [SSN] 601-38-7244 #5",
    };
    static const char *const odt[] = {
        "B memo.odt odt",
        "F ssn memo.odt:2 [] 287-14-5562 #2",
    };
    static const char *const odp[] = {
        "B deck.odp odp",
        "F phone deck.odp!slide2:1 [] 212-555-0147 #1",
    };
    static const char *const cut[] = {
        "B cut_hr.ods ods",
        "F ssn cut_hr.ods!Employees:2 [SSN] 536-22-8153 #2",
        "F ssn cut_hr.ods!Employees:3 [SSN] 412-67-3390 #3",
        "W cut_hr.ods ECORRUPT partial: document read only in part (XML error at line 2: *",
    };
    struct rec_scan s = {.cats = cats};

    (void)state;
    rec_scan_fixture("hr.ods", &s);
    rec_expect(&s.r, ods, N(ods));
    rec_free(&s.r);
    rec_scan_fixture("memo.odt", &s);
    rec_expect(&s.r, odt, N(odt));
    rec_free(&s.r);
    rec_scan_fixture("deck.odp", &s);
    rec_expect(&s.r, odp, N(odp));
    rec_free(&s.r);
    rec_scan_fixture("cut_hr.ods", &s);
    rec_expect(&s.r, cut, N(cut));
    rec_free(&s.r);
}

static void test_mutants(void **state)
{
    (void)state;
    assert_true(rec_mutate("hr.ods", ps_odf_parse, 200) > 0);
    assert_true(rec_mutate("memo.odt", ps_odf_parse, 200) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spreadsheet),   cmocka_unit_test(test_spreadsheet_cut),
        cmocka_unit_test(test_text_document), cmocka_unit_test(test_presentation),
        cmocka_unit_test(test_encrypted),     cmocka_unit_test(test_constructs),
        cmocka_unit_test(test_not_odf),       cmocka_unit_test(test_scan_end_to_end),
        cmocka_unit_test(test_mutants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
