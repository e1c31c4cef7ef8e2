/* loadtest.h: shared helpers of the loader's Check tests (build a module, load it, check for leaks). */
#ifndef LOADTEST_H
#define LOADTEST_H

#include <check.h>
#include "elfgen.h"
#include "loader_env_hosted.h"
#include "../../guest/module/loader.h"

/* lt_setup(): a fresh environment and Debian's defaults for the kernel settings. */
void lt_setup(void);

/* lt_teardown(): unload every module, then assert no memory is left. */
void lt_teardown(void);

/*
 * lt_load(img, len, flags, params, out): mod_load() of a real (non-dry) load;
 * params is the "user" string (the hosted environment reads host memory),
 * NULL meaning "" (what insmod passes without parameters).
 */
int lt_load(const uint8_t *img, size_t len, uint32_t flags, const char *params,
	    struct module **out);

/* lt_load_eg(g, out): finish g, load it with no flags, free the image. */
int lt_load_eg(struct eg *g, struct module **out);

/* lt_default(len): the image of eg_module("test", ...) with nothing added. */
uint8_t *lt_default(size_t *len);

/* lt_tcase(s, name): a TCase with the lt_setup/lt_teardown fixture, added to s. */
TCase *lt_tcase(Suite *s, const char *name);


#endif
