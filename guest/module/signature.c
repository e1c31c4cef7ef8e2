/* signature.c: split the signature trailer off a module image (the host judged the signature; the host's re-derivation splits it the same way). */
#include <modvisor/modsig.h>
#include "internal.h"

int mod_strip_signature(struct load_info *info)
{
	const uint32_t ignore = MV_MODULE_INIT_IGNORE_MODVERSIONS |
				MV_MODULE_INIT_IGNORE_VERMAGIC;
	struct modsig sig;
	int err;

	/* With an IGNORE flag Linux does not look at the signature at all. */
	if (info->args->flags & ignore)
		return 0;
	err = modsig_parse(info->image, info->len, &sig);
	if (err == -MODSIG_EBADMSG) {
		modenv_log("%s: bad signature trailer: %s", info->name, sig.why);
		return -EBADMSG;
	}
	if (err == 0) {
		info->len = sig.content_len;
		if (info->args->stats)
			info->args->stats->signed_images++;
	} else if (err == -MODSIG_ENOPKG) {
		info->len -= MV_MODSIG_MARKER_LEN;
	}
	return 0;
}
