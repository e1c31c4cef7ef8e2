/* params_stub.c: stands in for guest/module/params.c (H8) until it exists: refuses any parameter. */
#include "../../guest/module/loader_env.h"
#include "../../guest/module/params.h"

int params_parse_module(const char *modname, char *args,
			const struct mv_kernel_param *params, unsigned int num)
{
	(void)params; (void)num;
	modenv_log("%s: parameters are not supported yet ('%s')", modname, args);
	return -EINVAL;
}

void params_free(const struct mv_kernel_param *params, unsigned int num)
{
	(void)params; (void)num;
}
