/* cmd_domain_xml.c: `modvisor domain-xml`: a libvirt domain that boots the guest kernel under QEMU with the authority's virtio-serial channel. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <modvisor/mvap.h>
#include "accel.h"
#include "commands.h"
#include "paths.h"
#include "run.h"

#define DX_PORT      "org.modvisor.authority"
#define DX_MEM_MIB   256
#define DX_CMDLINE_MAX 3000     /* the guest keeps 4095 bytes; ours come first */

#define DX_USAGE "domain-xml --name NAME --authority SOCKET [options]"
#define DX_HELP \
	"Print a libvirt domain (virsh define FILE) that boots modvisor's guest\n" \
	"kernel under QEMU through its PVH entry, with a serial console and a\n" \
	"virtio-serial channel to the authority daemon's socket.  The guest loads\n" \
	"modules only on that daemon's verdict (docs/guest-kernel.md).\n" \
	"\n" \
	"  --name NAME         domain name: 1-64 of [A-Za-z0-9._-] (required)\n" \
	"  --authority SOCKET  `modvisor authority --listen` socket (required)\n" \
	"  --uuid UUID         domain UUID (default: a random one)\n" \
	"  --kernel FILE       default: images/kernel.elf in the data directory\n" \
	"  --initrd FILE       default: images/initrd.cpio in the data directory\n" \
	"  --cmdline STRING    appended to the kernel command line; a command to\n" \
	"                      run goes after \" -- \" (default: /bin/sh on the console)\n" \
	"  --mem MIB           guest RAM (default 256)\n" \
	"  --type kvm|qemu     domain type (default: kvm when /dev/kvm passes\n" \
	"                      modvisor's probe, else qemu, i.e. TCG)\n" \
	"  --console-log FILE  also log the serial console to FILE\n" \
	"  -h, --help          this text\n" \
	"\n" \
	"The domain's name and UUID go on the kernel command line (mv.name=,\n" \
	"mv.uuid=) for the guest's HELLO.  QEMU runs as libvirt's qemu user\n" \
	"(Debian: libvirt-qemu): the daemon's policy must allow its uid\n" \
	"(allow_uids).  Exit status: 0, or 2 for a bad option or input.\n"

struct dx_opts {
	const char *name, *authority, *uuid, *kernel, *initrd, *cmdline, *type, *log;
	unsigned long mem;
};

static int dx_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "modvisor domain-xml: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage: modvisor " DX_USAGE " (--help for more)\n");
	return 2;
}

/* Print s with XML's five special characters escaped. */
static void dx_esc(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", stdout); break;
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '\'': fputs("&apos;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		default: putchar(*s);
		}
	}
}

/* A UUID written 8-4-4-4-12 in hex digits. */
static int dx_uuid_ok(const char *s)
{
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return 0;
	}
	return s[36] == '\0';
}

/* A random (version 4) UUID into out[37]. */
static int dx_uuid_new(char out[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
		 b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

/* An input file as an absolute path QEMU can open (libvirt wants absolute paths). */
static int dx_file(const char *opt, const char *path, char out[PATH_MAX])
{
	if (!realpath(path, out) || access(out, R_OK)) {
		fprintf(stderr, "modvisor domain-xml: %s %s: %m\n", opt, path);
		return -1;
	}
	return 0;
}

/* The socket may not exist yet: make it absolute without resolving it. */
static int dx_socket(const char *path, char out[PATH_MAX])
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return snprintf(out, PATH_MAX, "%s", path) < PATH_MAX ? 0 : -1;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	return snprintf(out, PATH_MAX, "%s/%s", cwd, path) < PATH_MAX ? 0 : -1;
}

static int dx_parse(int argc, char **argv, struct dx_opts *o)
{
	static const struct option lo[] = {
		{ "name", 1, 0, 'n' }, { "authority", 1, 0, 'a' }, { "uuid", 1, 0, 'u' },
		{ "kernel", 1, 0, 'k' }, { "initrd", 1, 0, 'i' }, { "cmdline", 1, 0, 'c' },
		{ "mem", 1, 0, 'm' }, { "type", 1, 0, 't' }, { "console-log", 1, 0, 'l' },
		{ "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	char *end;
	int c;

	o->mem = DX_MEM_MIB;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'n': o->name = optarg; break;
		case 'a': o->authority = optarg; break;
		case 'u': o->uuid = optarg; break;
		case 'k': o->kernel = optarg; break;
		case 'i': o->initrd = optarg; break;
		case 'c': o->cmdline = optarg; break;
		case 't': o->type = optarg; break;
		case 'l': o->log = optarg; break;
		case 'm':
			o->mem = strtoul(optarg, &end, 10);
			if (*end || o->mem < 64 || o->mem > 65536)
				return dx_usage("--mem %s: want 64-65536 (MiB)", optarg);
			break;
		case 'h':
			printf("usage: modvisor " DX_USAGE "\n\n" DX_HELP);
			exit(0);
		default:
			return dx_usage("%s", "bad option");
		}
	}
	if (optind != argc)
		return dx_usage("unexpected argument '%s'", argv[optind]);
	if (!o->name || !mvap_name_ok(o->name, (uint32_t)strlen(o->name)))
		return dx_usage("--name '%s': want 1-64 of [A-Za-z0-9._-], not . or ..",
				o->name ? o->name : "");
	if (!o->authority || !*o->authority)
		return dx_usage("%s", "--authority SOCKET is required");
	if (o->uuid && !dx_uuid_ok(o->uuid))
		return dx_usage("--uuid %s: want 8-4-4-4-12 hex digits", o->uuid);
	if (o->type && strcmp(o->type, "kvm") && strcmp(o->type, "qemu"))
		return dx_usage("--type %s: want kvm or qemu", o->type);
	if (o->cmdline && strlen(o->cmdline) > DX_CMDLINE_MAX)
		return dx_usage("--cmdline: longer than %s bytes", "3000");
	return 0;
}

/* kvm where /dev/kvm runs what the guest needs (the probe `run` uses), else TCG. */
static const char *dx_type(const struct dx_opts *o, char *why, size_t len)
{
	if (o->type) {
		snprintf(why, len, "--type %s", o->type);
		return o->type;
	}
	if (accel_probe_kvm(why, len) == 0) {
		snprintf(why, len, "/dev/kvm passed modvisor's probe");
		return "kvm";
	}
	return "qemu";
}

static void dx_print(const struct dx_opts *o, const char *uuid, const char *type,
		     const char *why, const char *kernel, const char *initrd, const char *sock,
		     const char *log)
{
	printf("<!-- modvisor domain-xml: type %s (", type);
	for (const char *p = why; *p; p++)              /* no "--" inside a comment */
		putchar(*p == '-' && p[1] == '-' ? '_' : *p);
	printf(") -->\n<domain type='%s'>\n  <name>", type);
	dx_esc(o->name);
	printf("</name>\n  <uuid>%s</uuid>\n  <memory unit='MiB'>%lu</memory>\n"
	       "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n"
	       "    <kernel>", uuid, o->mem);
	dx_esc(kernel);
	printf("</kernel>\n    <initrd>");
	dx_esc(initrd);
	printf("</initrd>\n    <cmdline>mv.name=");
	dx_esc(o->name);
	printf(" mv.uuid=%s%s", uuid, o->cmdline ? " " : "");
	if (o->cmdline)
		dx_esc(o->cmdline);
	printf("</cmdline>\n  </os>\n  <features>\n    <acpi/>\n  </features>\n"
	       "  <clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n"
	       "  <on_reboot>destroy</on_reboot>\n  <on_crash>destroy</on_crash>\n"
	       "  <devices>\n    <serial type='pty'>\n      <target port='0'/>\n");
	if (log) {
		printf("      <log file='");
		dx_esc(log);
		printf("' append='off'/>\n");
	}
	printf("    </serial>\n    <console type='pty'>\n      <target type='serial' port='0'/>\n"
	       "    </console>\n    <channel type='unix'>\n      <source mode='connect' path='");
	dx_esc(sock);
	printf("'>\n        <reconnect enabled='yes' timeout='2'/>\n      </source>\n"
	       "      <target type='virtio' name='" DX_PORT "'/>\n    </channel>\n"
	       "    <controller type='usb' model='none'/>\n    <memballoon model='none'/>\n"
	       "  </devices>\n</domain>\n");
}

static int domain_xml_main(int argc, char **argv)
{
	struct dx_opts o = { 0 };
	char kernel[PATH_MAX], initrd[PATH_MAX], sock[PATH_MAX], log[PATH_MAX];
	char kdef[PATH_MAX], idef[PATH_MAX], uuid[37], why[256] = "";
	const char *type;

	if (dx_parse(argc, argv, &o))
		return 2;
	if (dx_file("--kernel", o.kernel ? o.kernel :
		    run_default_path("kernel.elf", kdef, sizeof(kdef)), kernel) ||
	    dx_file("--initrd", o.initrd ? o.initrd :
		    run_default_path("initrd.cpio", idef, sizeof(idef)), initrd))
		return 2;
	if (dx_socket(o.authority, sock) || (o.log && dx_socket(o.log, log)))
		return dx_usage("%s", "a path is too long");
	if (o.uuid)
		snprintf(uuid, sizeof(uuid), "%s", o.uuid);
	else if (dx_uuid_new(uuid))
		return dx_usage("%s", "no random bytes for a UUID");
	type = dx_type(&o, why, sizeof(why));
	dx_print(&o, uuid, type, why, kernel, initrd, sock, o.log ? log : NULL);
	return fflush(stdout) ? 1 : 0;
}

COMMAND(domain_xml, "domain-xml", DX_USAGE, DX_HELP, domain_xml_main);
