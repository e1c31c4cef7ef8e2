/* kstrtox.h: Linux's kstrtoull/kstrtoll/kstrtobool rules for turning text into numbers (freestanding). */
#ifndef MODVISOR_KSTRTOX_H
#define MODVISOR_KSTRTOX_H

#include <stdbool.h>

/*
 * Compiled for both sides (shared/lib/kstrtox.c): module parameters use it
 * in the guest, and anything else that must read numbers exactly as Linux
 * does (a /proc/sys write) can.  Results are 0, -EINVAL or -ERANGE (Linux's
 * errno numbers); *res is left untouched on error.
 */

/*
 * kstrtox_ull(s, base, res): Linux's kstrtoull(): an optional '+', then at
 * least one digit of (base), then optionally one '\n', then the end.
 * (base) 0 picks 16 for "0x"/"0X" followed by a hex digit, 8 for a leading
 * '0', else 10; (base) 16 also skips a "0x" prefix.  A value above
 * ULLONG_MAX is -ERANGE, reported before any trailing junk; no digits, junk
 * or a base outside 0 and 2..16 is -EINVAL.
 */
int kstrtox_ull(const char *s, unsigned int base, unsigned long long *res);

/*
 * kstrtox_ll(s, base, res): Linux's kstrtoll(): as kstrtox_ull with an
 * optional '-' instead of '+' ("-+1" is -EINVAL); outside
 * [LLONG_MIN, LLONG_MAX] is -ERANGE.
 */
int kstrtox_ll(const char *s, unsigned int base, long long *res);

/*
 * kstrtox_bool(s, res): Linux 6.1's kstrtobool(): 'y' 'Y' 't' 'T' '1' or
 * "on" (any case) -> true, 'n' 'N' 'f' 'F' '0' or "off" -> false; only the
 * first one or two characters count ("yes", "nonsense").  NULL, "" and
 * anything else -> -EINVAL.
 */
int kstrtox_bool(const char *s, bool *res);

/* kstrtox_hex_digit(c): the value of the hex digit (c), 0-15, or -1 when it is none. */
static inline int kstrtox_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
