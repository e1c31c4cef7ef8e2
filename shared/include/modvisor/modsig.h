/* modsig.h: find and check the appended-signature trailer of a module image. */
#ifndef MODVISOR_MODSIG_H
#define MODVISOR_MODSIG_H

#include <stdint.h>
#include <modvisor/abi/modsig.h>

/*
 * Freestanding, compiled for both sides: the guest strips the trailer before
 * parsing the ELF, the host hands the PKCS#7 to OpenSSL.  Return values are
 * Linux errno numbers, spelled here because the guest has no <errno.h>.
 */
#define MODSIG_ENODATA  61      /* no marker: the module is unsigned */
#define MODSIG_ENOPKG   65      /* a trailer whose id_type is not PKCS#7 */
#define MODSIG_EBADMSG  74      /* a marker, but the trailer is malformed */

struct modsig {
	uint64_t content_len;   /* OUT: bytes of the module proper (the ELF) */
	uint64_t sig_off;       /* OUT: offset of the PKCS#7 DER */
	uint64_t sig_len;       /* OUT: its length */
	const char *why;        /* OUT: reason for -MODSIG_EBADMSG, else NULL */
};

/*
 * modsig_parse(image, len, out): look for "~Module signature appended~\n"
 * at the end of (image, len) and check the struct mv_module_signature before
 * it as Linux's mod_check_sig() does.  Returns 0 with out filled in for a
 * PKCS#7 trailer; -MODSIG_ENODATA when there is no marker (out->content_len
 * = len); -MODSIG_EBADMSG with out->why set when the trailer is malformed;
 * -MODSIG_ENOPKG (why set) when id_type is not PKCS#7, as Linux does.
 */
int modsig_parse(const void *image, uint64_t len, struct modsig *out);

#endif
