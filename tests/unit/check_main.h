/* check_main.h: what a unit-test file gives the one Check main() (tests/unit/check_main.c). */
#ifndef MV_TESTS_CHECK_MAIN_H
#define MV_TESTS_CHECK_MAIN_H

#include <check.h>

/* Each tests/unit/test_*.c defines one `const struct unit_main unit_main`. */
struct unit_main {
	Suite *(*suite)(void);	/* builds the file's suite (may prepare fixtures) */
	void (*done)(void);	/* optional: after the run, e.g. remove a temp dir */
};

/* unit_main: the definition in the test file linked with check_main.o. */
extern const struct unit_main unit_main;

#endif
