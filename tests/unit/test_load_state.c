/* test_load_state.c: the host's state machine of a load id (vmm/authority/load_state.c). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include <modvisor/abi/hypercall.h>
#include "../../vmm/authority/load_state.h"
#include "check_main.h"

#define N LOAD_NONE
#define D LOAD_DENIED
#define A LOAD_ALLOWED
#define I LOAD_INIT_STARTED
#define L LOAD_LIVE
#define F LOAD_FAILED
#define X LOAD_FAULTED
#define U LOAD_UNLOADED
#define S LOAD_SEALED
#define NO 0xff         /* refused */

/*
 * The whole table, written out independently of load_state.c: for each
 * state (row) the state each event moves it to (columns: LOADED,
 * LOAD_FAILED, INIT_FAILED, UNLOADED, INIT_FAULT, INIT_START, and the
 * host's own SEAL).
 */
static const uint8_t want[LOAD_NSTATES][7] = {
	[N] = { NO, NO, NO, NO, NO, NO, NO },
	[D] = { NO, NO, NO, NO, NO, NO, NO },
	[A] = { L,  F,  NO, NO, NO, I,  S  },
	[I] = { L,  NO, F,  NO, X,  NO, NO },
	[L] = { NO, NO, NO, U,  NO, NO, NO },
	[F] = { NO, NO, NO, NO, NO, NO, NO },
	[X] = { NO, NO, NO, NO, NO, NO, NO },
	[U] = { NO, NO, NO, NO, NO, NO, NO },
	[S] = { L,  F,  NO, NO, NO, I,  NO },
};

START_TEST(every_state_and_event)
{
	for (int s = 0; s < LOAD_NSTATES; s++) {
		for (uint32_t c = 0; c < 7; c++) {
			uint32_t ev = c < 6 ? MV_MODEV_LOADED + c : LOAD_EV_SEAL;
			enum load_state next = LOAD_NSTATES;
			int ret = load_state_next((enum load_state)s, ev, &next);
			uint8_t w = want[s][c];

			if (w == NO) {
				ck_assert_msg(ret == -EINVAL, "state %s event %u: accepted",
					      load_state_name((enum load_state)s), ev);
			} else {
				ck_assert_msg(ret == 0, "state %s event %u: refused",
					      load_state_name((enum load_state)s), ev);
				ck_assert_int_eq(next, w);
			}
		}
	}
}
END_TEST

/* Unknown events fit no state. */
START_TEST(unknown_events)
{
	enum load_state next;

	for (int s = 0; s < LOAD_NSTATES; s++) {
		ck_assert_int_eq(load_state_next((enum load_state)s, 0, &next), -EINVAL);
		ck_assert_int_eq(load_state_next((enum load_state)s, 7, &next), -EINVAL);
		ck_assert_int_eq(load_state_next((enum load_state)s, UINT32_MAX, &next), -EINVAL);
	}
}
END_TEST

/* The table grows past its first size; id 0 can never be set; unset ids are NONE. */
START_TEST(table)
{
	struct load_states ls = { 0 };

	ck_assert_int_eq(load_states_get(&ls, 0), LOAD_NONE);
	ck_assert_int_eq(load_states_set(&ls, 0, LOAD_ALLOWED), -EINVAL);
	ck_assert_int_eq(load_states_get(&ls, 0), LOAD_NONE);
	ck_assert_int_eq(load_states_set(&ls, 1, LOAD_ALLOWED), 0);
	ck_assert_int_eq(load_states_set(&ls, 5000, LOAD_DENIED), 0);
	ck_assert_int_eq(load_states_get(&ls, 1), LOAD_ALLOWED);
	ck_assert_int_eq(load_states_get(&ls, 5000), LOAD_DENIED);
	ck_assert_int_eq(load_states_get(&ls, 4999), LOAD_NONE);
	ck_assert_int_eq(load_states_get(&ls, UINT32_MAX), LOAD_NONE);
	ck_assert_str_eq(load_state_name(LOAD_INIT_STARTED), "init-started");
	ck_assert_str_eq(load_state_name(LOAD_NSTATES), "?");
	load_states_free(&ls);
	ck_assert_int_eq(load_states_get(&ls, 1), LOAD_NONE);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("load_state");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_state_and_event);
	tcase_add_test(tc, unknown_events);
	tcase_add_test(tc, table);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
