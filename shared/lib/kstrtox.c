/* kstrtox.c: text to numbers with Linux's lib/kstrtox.c rules (freestanding, both sides). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <modvisor/kstrtox.h>

/* The value of digit (c) in any base up to 16, or 16 when it is none. */
static unsigned int kx_digit(char c)
{
	int d = kstrtox_hex_digit(c);

	return d < 0 ? 16 : (unsigned int)d;
}

/* Linux's _parse_integer_fixup_radix(): the base, and the "0x" to skip. */
static const char *kx_radix(const char *s, unsigned int *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] | 0x20) == 'x';

	if (*base == 0) {
		if (s[0] != '0')
			*base = 10;
		else if (hex_prefix && kx_digit(s[2]) < 16)
			*base = 16;
		else
			*base = 8;
	}
	if (*base == 16 && hex_prefix)
		s += 2;
	return s;
}

/*
 * Linux's _kstrtoull(): digits, one optional newline, the end.  Overflow is
 * remembered while the digits are read and reported first, as Linux does.
 */
static int kx_parse_ull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	bool overflow = false;
	unsigned int d;
	size_t n = 0;

	if (base != 0 && (base < 2 || base > 16))
		return -EINVAL;
	s = kx_radix(s, &base);
	for (; (d = kx_digit(s[n])) < base; n++) {
		if (v > (~0ull - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtox_ull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return kx_parse_ull(s, base, res);
}

int kstrtox_ll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (s[0] == '-') {
		err = kx_parse_ull(s + 1, base, &v);
		if (err)
			return err;
		if (v > 1ull << 63)
			return -ERANGE;
		*res = (long long)(0ull - v);
		return 0;
	}
	err = kstrtox_ull(s, base, &v);
	if (err)
		return err;
	if (v > (~0ull >> 1))
		return -ERANGE;
	*res = (long long)v;
	return 0;
}

int kstrtox_bool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}
