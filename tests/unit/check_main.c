/* check_main.c: the one main() of the Check unit-test binaries: run the file's suite, exit 1 on a failure. */
#include <stdlib.h>

#include "check_main.h"

int main(void)
{
	SRunner *sr = srunner_create(unit_main.suite());
	int failed;

	/* CK_VERBOSITY in the environment chooses the output; normal by default. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (unit_main.done)
		unit_main.done();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
