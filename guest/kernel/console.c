/* console.c: console output through the platform (MV_HC_CONSOLE or the serial port), printk() and panic(). */
#include "console.h"
#include "hcall.h"
#include "klog.h"
#include "mm.h"
#include "platform.h"
#include "uaccess.h"
#include "tty.h"

#define KMSG_BUF 1024
#define PANIC_STATUS 111        /* below the VMM's 112-125 (docs/hypercall-abi.md) */

bool kernel_quiet;

/* Kernel messages collect here until a newline or until it is full. */
static char kmsg_buf[KMSG_BUF];
static size_t kmsg_len;
/* User bytes are copied here first: one hypercall per chunk. */
static char user_bounce[MV_CONSOLE_MAX];

static void console_hc(unsigned stream, const void *buf, size_t len)
{
	if (len)
		platform->console_write(stream, buf, len);
}

void console_flush(void)
{
	console_hc(MV_CONSOLE_STDERR, kmsg_buf, kmsg_len);
	kmsg_len = 0;
}

static bool console_contiguous(const void *p)
{
	uint64_t v = (uint64_t)p;

	return (v >= MV_DIRECT_MAP && v < MV_DIRECT_MAP + MV_DIRECT_MAP_MAX) ||
	       (v >= (uint64_t)__kernel_start && v < (uint64_t)__kernel_end);
}

/* Output on a terminal with OPOST|ONLCR: every \n goes out as \r\n. */
static void console_crlf(unsigned stream, const char *p, size_t n)
{
	static char out[8192];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k >= sizeof(out) - 2) {
			console_hc(stream, out, k);
			k = 0;
		}
		if (p[i] == '\n')
			out[k++] = '\r';
		out[k++] = p[i];
	}
	console_hc(stream, out, k);
}

void console_write(unsigned stream, const void *buf, size_t len)
{
	const char *p = buf;

	console_flush();
	while (len) {
		size_t n = MIN(len, (size_t)MV_CONSOLE_MAX);

		if (tty_onlcr()) {
			console_crlf(stream, p, n);
			p += n;
			len -= n;
			continue;
		}
		/*
		 * Kernel buffers in the direct map or the image are physically
		 * contiguous; kmap'd ones (stacks, modules) may not be: bounce.
		 */
		if (!console_contiguous(p)) {
			memcpy(user_bounce, p, n);
			console_hc(stream, user_bounce, n);
		} else {
			console_hc(stream, p, n);
		}
		p += n;
		len -= n;
	}
}

long console_write_user(unsigned stream, uaddr_t buf, size_t len)
{
	size_t done = 0;
	long err;

	if ((err = tty_write_check()) < 0)
		return err;
	console_flush();
	while (done < len) {
		size_t n = MIN(len - done, sizeof(user_bounce));

		if (copy_from_user(user_bounce, buf + done, n))
			return done ? (long)done : -EFAULT;
		if (tty_onlcr())
			console_crlf(stream, user_bounce, n);
		else
			console_hc(stream, user_bounce, n);
		done += n;
	}
	return (long)done;
}

static void kmsg_putc(char c)
{
	if (c == '\n' && tty_onlcr()) {
		if (kmsg_len == sizeof(kmsg_buf) - 1)
			console_flush();
		kmsg_buf[kmsg_len++] = '\r';   /* the host terminal is raw */
	}
	kmsg_buf[kmsg_len++] = c;
	if (c == '\n' || kmsg_len == sizeof(kmsg_buf))
		console_flush();
}

/*
 * Length of the KERN_SOH level prefixes ("\0016" for KERN_INFO, "\001c" for
 * KERN_CONT, ...) at the start of s, as Linux's printk_get_level() reads
 * them: a module's pr_info() must not print its level byte.
 */
static int printk_level_len(const char *s, int n)
{
	int i = 0;

	while (i + 1 < n && s[i] == '\001' &&
	       ((s[i + 1] >= '0' && s[i + 1] <= '7') || s[i + 1] == 'c' || s[i + 1] == 'd'))
		i += 2;
	return i;
}

void vprintk(const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	klog_printk(line, (size_t)n);   /* dmesg's copy (sys_syslog.c) */
	for (int i = printk_level_len(line, n); i < n; i++)
		kmsg_putc(line[i]);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	printk("\nkernel panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	console_flush();
	platform->exit(PANIC_STATUS);
}
