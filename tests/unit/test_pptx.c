/* test_pptx.c - the PowerPoint parser on a deck laid out as PowerPoint writes one
 * (show order differing from part names, a table slide, speaker notes, a slide
 * master whose placeholder text must not be read), the deck with its table slide
 * cut, and packages without a usable presentation part.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/office/office_record.h"
#include "extract/office.h"
#include "extract/pptx.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void parse_buf(const char *buf, size_t len, struct rec *r)
{
    struct ps_office_sink sink;
    struct ps_office_limits lim;

    ps_office_limits_init(&lim, NULL);
    rec_init(r, &sink);
    assert_int_equal(ps_pptx_parse(buf, len, &lim, &sink), PIISCAN_OK);
}

static void parse_fixture(const char *name, struct rec *r)
{
    size_t len;
    char *buf = rec_fixture(name, &len);

    parse_buf(buf, len, r);
    free(buf);
}

static void test_deck_in_show_order(void **state)
{
    static const char *const want[] = {
        "slide1#1: Executive compensation",
        "slide1#2: Confidential\nDo not forward",
        "slide2#1: Top earners",
        "slide2!table1:1: =Name | =Salary",
        "slide2!table1:2: [Name]=Robert Chen | [Salary]=$240,000",
        "slide2!table1:3: [Name]=James Whitfield | [Salary]=$123,500.50",
        "slide3#1: Contact Robert Chen at rchen@example.com",
        "slide3-notes#1: Speaker note: Robert's SSN is 601-38-7244",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("deck.pptx", &r);
    rec_expect(&r, want, N(want));
    assert_false(rec_has(&r, "Master title")); /* layout/master text is not slide text */
    rec_free(&r);
}

static void test_table_slide_cut(void **state)
{
    static const char *const want[] = {
        "slide1#1: Executive compensation",
        "slide1#2: Confidential\nDo not forward",
        "slide2#1: Top earners",
        "slide2!table1:1: =Name | =Salary",
        "slide2!table1:2: [Name]=Robert Chen | [Salary]=$240,000",
        "W slide2 ECORRUPT: part read only in part (XML error at line 2: *",
        "slide3#1: Contact Robert Chen at rchen@example.com",
        "slide3-notes#1: Speaker note: Robert's SSN is 601-38-7244",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("cut_deck.pptx", &r);
    rec_expect(&r, want, N(want));
    assert_true(rec_has(&r, "1 paragraphs and 2 table rows before the damage were scanned"));
    rec_free(&r);
}

#define P_NS                                                                                       \
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "                           \
    "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\""
#define SLIDE(t)                                                                                   \
    "<p:sld " P_NS "><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>" t "</a:t></a:r>"           \
    "<a:fld type=\"slidenum\"><a:t>#</a:t></a:fld></a:p></p:txBody></p:sp></p:spTree></p:cSld>"    \
    "</p:sld>"

/* No presentation part: the slide parts are read by number (2 before 10, a name
 * without a number is no slide); the broken relationships of slide 2 add one
 * warning after its text. */
static void test_slides_by_name(void **state)
{
    static const char *const want[] = {
        "W - ECORRUPT: presentation part ppt/presentation.xml missing: slides read in file-name "
        "order",
        "slide2#1: two#",
        "W slide2 ECORRUPT: slide relationships read only in part (XML error at line 1: *",
        "slide10#1: ten#",
    };
    struct rec_part parts[] = {{"ppt/slides/slide10.xml", SLIDE("ten")},
                               {"ppt/slides/slide2.xml", SLIDE("two")},
                               {"ppt/slides/slideX.xml", SLIDE("not a slide name")},
                               {"ppt/slides/_rels/slide2.xml.rels", "<broken"}};
    struct rec r = {0};
    size_t len = 0;
    char *buf = rec_zip(parts, N(parts), &len);

    (void)state;
    parse_buf(buf, len, &r);
    rec_expect(&r, want, N(want));
    rec_free(&r);
    free(buf);
}

static void test_not_a_presentation(void **state)
{
    static const char *const want[] = {"W - ECORRUPT: not a readable presentation: *"};
    struct rec r = {0};

    (void)state;
    parse_buf("\x50\x4b\x03\x04garbage", 11, &r);
    rec_expect(&r, want, N(want));
    rec_free(&r);
}

static void test_scan_end_to_end(void **state)
{
    static const char *const cats[] = {"ssn", "email", "phone", NULL};
    static const char *const want[] = {
        "B deck.pptx pptx",
        "F email deck.pptx!slide3:1 [] rchen@example.com #1",
        "F ssn deck.pptx!slide3-notes:1 [] 601-38-7244 #1",
    };
    struct rec_scan s = {.cats = cats};

    (void)state;
    rec_scan_fixture("deck.pptx", &s);
    rec_expect(&s.r, want, N(want));
    rec_free(&s.r);
}

static void test_mutants(void **state)
{
    (void)state;
    assert_true(rec_mutate("deck.pptx", ps_pptx_parse, 300) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deck_in_show_order), cmocka_unit_test(test_table_slide_cut),
        cmocka_unit_test(test_slides_by_name),     cmocka_unit_test(test_not_a_presentation),
        cmocka_unit_test(test_scan_end_to_end),    cmocka_unit_test(test_mutants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
