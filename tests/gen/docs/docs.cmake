# Fixtures of the PDF and mail extractors, written at test time by real producers
# (reportlab, Pillow, Python's email/mailbox) into ${PROJECT_BINARY_DIR}/fixtures/docs.
# include()d from tests/CMakeLists.txt after the unit tests are registered: CMake 3.25
# cannot set properties on tests of another directory, and unit.pdf / unit.mail need
# FIXTURES_REQUIRED on this generator.
find_program(PIISCAN_PY3_DEBIAN NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME gen.docs
  COMMAND ${PIISCAN_PY3_DEBIAN} ${CMAKE_CURRENT_LIST_DIR}/gen_docs.py
          ${PROJECT_BINARY_DIR}/fixtures/docs)
set_tests_properties(gen.docs PROPERTIES FIXTURES_SETUP docs LABELS unit TIMEOUT 120)
foreach(t unit.pdf unit.mail)
  if(TEST ${t})
    set_tests_properties(${t} PROPERTIES FIXTURES_REQUIRED docs)
  endif()
endforeach()

# End-to-end: the real binary on a zip of these fixtures (mbox attachments, PDFs).
if(TARGET piiscan)
  add_test(NAME e2e.docs
    COMMAND ${PIISCAN_PY3_DEBIAN} ${CMAKE_CURRENT_LIST_DIR}/e2e_docs.py $<TARGET_FILE:piiscan>
            ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/fixtures/docs)
  set_tests_properties(e2e.docs PROPERTIES FIXTURES_REQUIRED docs LABELS e2e TIMEOUT 300)
endif()
