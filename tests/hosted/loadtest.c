/* loadtest.c: shared helpers of the loader's Check tests. */
#include <stdlib.h>
#include "loadtest.h"

void lt_setup(void)
{
	hosted_env_reset();
	mod_settings.force_load = true;
	mod_settings.force_unload = true;
}

void lt_teardown(void)
{
	/* Users first: a module that nobody uses can always go. */
	for (int round = 0; round < 16 && mod_first(); round++)
		for (struct module *m = mod_first(), *next; m; m = next) {
			next = m->next;
			if (m->refcnt == 0)
				mod_delete(m->name, MOD_DELETE_TRUNC);
		}
	ck_assert_ptr_null(mod_first());
	ck_assert_int_eq(henv.live_regions, 0);
	ck_assert_int_eq(henv.live_blocks, 0);
}

int lt_load(const uint8_t *img, size_t len, uint32_t flags, const char *params,
	    struct module **out)
{
	struct mod_load_args a = {
		.image = img, .len = len, .flags = flags,
		.uargs = (uintptr_t)(params ? params : ""),
		.source = MV_MODSRC_INIT_MODULE,
	};

	return mod_load(&a, out);
}

int lt_load_eg(struct eg *g, struct module **out)
{
	size_t len;
	uint8_t *img = eg_finish(g, &len);
	int err = lt_load(img, len, 0, NULL, out);

	free(img);
	return err;
}

uint8_t *lt_default(size_t *len)
{
	return eg_finish(eg_module("test", NULL, 0, NULL), len);
}

TCase *lt_tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, lt_setup, lt_teardown);
	suite_add_tcase(s, tc);
	return tc;
}

