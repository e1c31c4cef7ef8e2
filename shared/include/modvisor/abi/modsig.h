/* modsig.h: Linux's appended module signature trailer (scripts/sign-file). */
#ifndef MODVISOR_ABI_MODSIG_H
#define MODVISOR_ABI_MODSIG_H

#include <stdint.h>

/*
 * A signed module is [ELF image][signature][struct module_signature][marker].
 * For PKCS#7 (id_type 2) only sig_len is meaningful; the signer and key id
 * live inside the PKCS#7.  sig_len is big-endian.
 */
#define MV_MODSIG_MARKER      "~Module signature appended~\n"
#define MV_MODSIG_MARKER_LEN  28u
#define MV_MODSIG_PKEY_PKCS7  2u

struct mv_module_signature {
	uint8_t  algo;          /* 0 for PKCS#7 */
	uint8_t  hash;          /* 0 for PKCS#7 */
	uint8_t  id_type;       /* MV_MODSIG_PKEY_PKCS7 */
	uint8_t  signer_len;    /* 0 for PKCS#7 */
	uint8_t  key_id_len;    /* 0 for PKCS#7 */
	uint8_t  _pad[3];
	uint32_t sig_len_be;    /* length of the PKCS#7 DER, big-endian */
};
_Static_assert(sizeof(struct mv_module_signature) == 12, "module_signature size");

#endif
