/* vsnprintf.c: the guest kernel's printf-style formatter (a useful subset). */
#include "kernel.h"

/* Output state: bytes beyond size are counted but not stored. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

/* A parsed conversion: flags, width, precision, length modifier. */
struct fmt_spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;               /* -1: none */
	int lmod;               /* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

static void fmt_str(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	if (!sp->left)
		fmt_pad(o, ' ', sp->width - (int)n);
	for (size_t i = 0; i < n; i++)
		fmt_putc(o, s[i]);
	if (sp->left)
		fmt_pad(o, ' ', sp->width - (int)n);
}

/* Format one integer: magnitude v, sign, in base with optional prefix. */
static void fmt_num(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v,
		    bool neg, unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = prefix ? (int)strlen(prefix) : 0, pad;
	char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	while (n < sp->prec && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	pad = sp->width - n - plen - (sign ? 1 : 0);
	if (!sp->left && !(sp->zero && sp->prec < 0))
		fmt_pad(o, ' ', pad);
	if (sign)
		fmt_putc(o, sign);
	for (int i = 0; i < plen; i++)
		fmt_putc(o, prefix[i]);
	if (!sp->left && sp->zero && sp->prec < 0)
		fmt_pad(o, '0', pad);
	while (n)
		fmt_putc(o, tmp[--n]);
	if (sp->left)
		fmt_pad(o, ' ', pad);
}

/* Parse flags, width, precision and length; returns the conversion char. */
static const char *fmt_parse(const char *f, struct fmt_spec *sp, va_list *ap)
{
	*sp = (struct fmt_spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '0') sp->zero = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '#') sp->alt = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l') sp->lmod++;
		else if (*f == 'z' || *f == 'j' || *f == 't') sp->lmod = 1;
		else if (*f == 'h') sp->lmod--;
		else break;
	}
	return f;
}

static uint64_t fmt_uarg(const struct fmt_spec *sp, va_list *ap)
{
	if (sp->lmod >= 1)
		return sp->lmod == 1 ? va_arg(*ap, unsigned long)
				     : va_arg(*ap, unsigned long long);
	unsigned v = va_arg(*ap, unsigned);
	return sp->lmod == -1 ? (uint16_t)v : sp->lmod <= -2 ? (uint8_t)v : v;
}

static int64_t fmt_sarg(const struct fmt_spec *sp, va_list *ap)
{
	if (sp->lmod >= 1)
		return sp->lmod == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
	int v = va_arg(*ap, int);
	return sp->lmod == -1 ? (int16_t)v : sp->lmod <= -2 ? (int8_t)v : v;
}

/* One conversion at *f (after the '%'); returns the char after it. */
static const char *fmt_conv(struct fmt_out *o, const char *f, va_list *ap)
{
	struct fmt_spec sp;
	int64_t sv;

	f = fmt_parse(f, &sp, ap);
	switch (*f) {
	case 'd': case 'i':
		sv = fmt_sarg(&sp, ap);
		fmt_num(o, &sp, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0,
			10, false, NULL);
		break;
	case 'u':
		fmt_num(o, &sp, fmt_uarg(&sp, ap), false, 10, false, NULL);
		break;
	case 'x': case 'X':
		fmt_num(o, &sp, fmt_uarg(&sp, ap), false, 16, *f == 'X',
			sp.alt ? "0x" : NULL);
		break;
	case 'o':
		fmt_num(o, &sp, fmt_uarg(&sp, ap), false, 8, false,
			sp.alt ? "0" : NULL);
		break;
	case 'p':
		fmt_num(o, &sp, (uint64_t)va_arg(*ap, void *), false, 16, false, "0x");
		break;
	case 'c': {
		char s[2] = { (char)va_arg(*ap, int), 0 };
		sp.prec = 1;
		fmt_str(o, &sp, s);
		break;
	}
	case 's':
		fmt_str(o, &sp, va_arg(*ap, const char *));
		break;
	case '%':
		fmt_putc(o, '%');
		break;
	case '\0':
		return f;
	default:
		fmt_putc(o, '%');
		fmt_putc(o, *f);
	}
	return f + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%')
			fmt_putc(&o, *fmt++);
		else
			fmt = fmt_conv(&o, fmt + 1, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
