/* accel_stub_h1.c: weak stand-ins for vmm/accel.c until it lands (helper H1 deletes this file then). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel.h"

__attribute__((weak)) int accel_parse(const char *s, enum accel_mode *out)
{
	if (!strcmp(s, "auto"))
		*out = ACCEL_AUTO;
	else if (!strcmp(s, "kvm"))
		*out = ACCEL_KVM;
	else if (!strcmp(s, "emulated"))
		*out = ACCEL_EMULATED;
	else
		return -1;
	return 0;
}

/* Until the probe exists, trust only the emulated host's /dev/kvm (real nested SVM). */
__attribute__((weak)) int accel_probe_kvm(char *why, size_t len)
{
	const char *inside = getenv("MODVISOR_IN_EMUHOST");

	if (inside && !strcmp(inside, "1"))
		return 0;
	snprintf(why, len, "probe not built yet");
	return -1;
}
